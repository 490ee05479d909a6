/**
 * Incremental validate-and-parse: text deltas in, a partial value after each, and at the end exactly the
 * outcome `parse()` gives on the whole text.
 *
 * Two halves, kept apart so streaming can never change a verdict: the preview (PrefixFinder and
 * PartialScanner read each delta once, keep their state, and build the partial value in place) and the
 * verdict (`end()` runs the parser's own pipeline on the accumulated text, once). The total cost over a
 * stream is linear in its length: one scan of each delta, one parse at the end.
 */
import { type ParseResult, tooLarge } from "./outcomes.js";
import { completePaths } from "./stream-complete.js";
import { PrefixFinder } from "./stream-prefix.js";
import { PartialScanner, type ScanStatus } from "./stream-scanner.js";
import type { SlotOrHidden } from "./stream-slots.js";

/**
 * Where the preview is: `waiting` (no JSON seen yet: prose, a fence's first line, or nothing), `reading`,
 * `done` (the root value closed; what follows is ignored by the preview), `stalled` (the text stopped
 * being JSON the preview can read, e.g. single quotes: the partial stays as it was, `end()` still repairs
 * what it can), `too_deep` or `too_large` (past the parser's limits: the preview stops, and `end()` fails
 * as `parse()` does).
 */
export type StreamStatus = "waiting" | ScanStatus | "too_large";

/** The partial value after the deltas so far. */
export interface StreamPartial {
  readonly status: StreamStatus;
  /**
   * The value so far: objects and arrays as soon as they open, with every member complete so far and a
   * string still being written (its text so far); numbers and literals once complete; enum values once
   * complete and matching a member. Values the schema would not accept as they are (a wrong-case enum, an
   * unknown key of a closed object, `"42"` for an integer) are held back. Undefined until the JSON opens.
   * From `partial()` this is the parser's live value: read it before the next `write`, or use `snapshot()`.
   */
  readonly value: unknown;
  /**
   * JSON Pointers of the values that are complete (they will not change), in the order they completed:
   * children before their container. Worked out when read (a walk of the value).
   */
  readonly complete: readonly string[];
  /** Pointer of the string still being written, if one is shown. */
  readonly pending: string | undefined;
}

/** A stream of one output through a parser. */
export interface StreamParser {
  /** Appends the next text delta (ignored after `end()`). */
  write(delta: string): void;
  /** The partial value now; cheap (no copy): valid until the next `write`. */
  partial(): StreamPartial;
  /** The partial value now, copied: yours to keep. */
  snapshot(): StreamPartial;
  /** The outcome of `parse()` on the whole text (computed once; later calls answer the same). */
  end(): ParseResult;
  /** The text so far (up to the size limit: past it, what came before the delta that crossed it). */
  readonly text: string;
  /** Characters written so far, the ones past the limit included. */
  readonly size: number;
}

/** What a stream parser needs from its parser. */
export interface StreamSource {
  parse(raw: unknown): ParseResult;
  readonly slots: SlotOrHidden;
  readonly maxBytes: number;
  readonly maxDepth: number;
}

/** A stream parser over `source` (see `Parser.stream()`). */
export function openStream(source: StreamSource): StreamParser {
  return new Stream(source);
}

class Stream implements StreamParser {
  text = "";
  size = 0;
  private readonly prefix = new PrefixFinder();
  private readonly scanner: PartialScanner;
  private started = false;
  private tooLarge = false;
  private outcome: ParseResult | undefined;

  constructor(private readonly source: StreamSource) {
    this.scanner = new PartialScanner(source.slots, source.maxDepth);
  }

  write(delta: string): void {
    if (this.outcome !== undefined || delta.length === 0) return;
    this.size += delta.length;
    if (this.tooLarge) return;
    if (this.size > this.source.maxBytes) {
      // Stop holding text the verdict will refuse anyway: memory stays bounded by the limit.
      this.tooLarge = true;
      return;
    }
    this.text += delta;
    if (this.scanner.status !== "reading") return;
    let from = 0;
    if (!this.started) {
      from = this.prefix.find(delta);
      if (from === -1) return;
      this.started = true;
    }
    this.scanner.write(delta, from);
  }

  partial(): StreamPartial {
    return new LivePartial(this.status(), this.scanner);
  }

  snapshot(): StreamPartial {
    const live = this.partial();
    const complete = live.complete.slice();
    // The value is JSON built by the scanner (own keys, `__proto__` included, depth within maxDepth).
    const value = live.value === undefined ? undefined : JSON.parse(JSON.stringify(live.value));
    return { status: live.status, value, complete, pending: live.pending };
  }

  end(): ParseResult {
    this.outcome ??= this.tooLarge ? tooLarge(this.size, this.source.maxBytes) : this.source.parse(this.text);
    return this.outcome;
  }

  private status(): StreamStatus {
    if (this.tooLarge) return "too_large";
    return this.started ? this.scanner.status : "waiting";
  }
}

/**
 * The partial value as the scanner holds it. `complete` and `pending` are worked out when read (a walk of
 * the value), so a caller that only reads `value` pays nothing for them.
 */
class LivePartial implements StreamPartial {
  readonly value: unknown;
  private paths: string[] | undefined;

  constructor(
    readonly status: StreamStatus,
    private readonly scanner: PartialScanner,
  ) {
    this.value = scanner.root;
  }

  get complete(): readonly string[] {
    this.paths ??= completePaths(this.scanner);
    return this.paths;
  }

  get pending(): string | undefined {
    return this.scanner.pending();
  }
}
