/**
 * Incremental validate-and-parse: text deltas in, a partial value after each, and at the end exactly the
 * outcome `parse()` gives on the whole text.
 *
 * Two halves, kept apart so streaming can never change a verdict: the preview (PrefixFinder and
 * PartialScanner read each delta once, keep their state, and build the partial value in place) and the
 * verdict (`end()`, computed once). When the whole text was JSON exactly as `JSON.parse` reads it (no
 * prefix, no trailing comma or text, no raw control character in a string) and the preview showed every
 * value of it as it is, the preview's value IS what `JSON.parse` would return, so `end()` hands it to the
 * parser's strict track instead of parsing the text again; otherwise it runs the parser's own pipeline on
 * the accumulated text. Either way the outcome is the one `parse()` gives on the whole text. The total
 * cost over a stream is linear in its length: one scan of each delta, at most one parse at the end.
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
  /**
   * The strict track's outcome for `value`, already parsed from `text()` by `JSON.parse`; undefined when
   * the strict track does not accept it (then `parse(text)` decides).
   */
  parseParsed(value: unknown, text: () => string, mayHoldLone: () => boolean): ParseResult | undefined;
  readonly slots: SlotOrHidden;
  readonly maxBytes: number;
  readonly maxDepth: number;
}

/** A stream parser over `source` (see `Parser.stream()`). */
export function openStream(source: StreamSource): StreamParser {
  return new Stream(source);
}

class Stream implements StreamParser {
  size = 0;
  /** The deltas kept, joined once when the text is asked for (no copy of the whole text per delta). */
  private chunks: string[] = [];
  private readonly prefix = new PrefixFinder();
  private readonly scanner: PartialScanner;
  private started = false;
  private tooLarge = false;
  /** Something other than JSON whitespace followed the root value. */
  private trailing = false;
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
    this.chunks.push(delta);
    if (this.scanner.status !== "reading") {
      this.trailing ||= this.scanner.status === "done" && !isBlank(delta, 0);
      return;
    }
    let from = 0;
    if (!this.started) {
      from = this.prefix.find(delta);
      if (from === -1) return;
      this.started = true;
    }
    const stop = this.scanner.write(delta, from);
    // (`write` changes the status: the check above does not hold after it.)
    if ((this.scanner.status as ScanStatus) === "done") this.trailing = !isBlank(delta, stop);
  }

  get text(): string {
    if (this.chunks.length > 1) this.chunks = [this.chunks.join("")];
    return this.chunks[0] ?? "";
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
    if (this.outcome !== undefined) return this.outcome;
    if (this.tooLarge) this.outcome = tooLarge(this.size, this.source.maxBytes);
    else {
      const s = this.scanner;
      const parsed = this.exactJson()
        ? this.source.parseParsed(
            s.root,
            () => this.text,
            () => s.surrogate,
          )
        : undefined;
      this.outcome = parsed ?? this.source.parse(this.text);
    }
    return this.outcome;
  }

  /**
   * True when the preview's value is exactly what `JSON.parse` returns for the whole text: the text is
   * JSON whitespace, one container, JSON whitespace; nothing in it needed the tolerant reading (a trailing
   * comma, a raw control character in a string); and every value in it is shown as it was written.
   */
  private exactJson(): boolean {
    const s = this.scanner;
    return (
      s.status === "done" &&
      this.prefix.direct &&
      !this.trailing &&
      !s.lenient &&
      !s.rawControl &&
      s.root !== undefined &&
      !s.unclean.has(s.root as object)
    );
  }

  private status(): StreamStatus {
    if (this.tooLarge) return "too_large";
    return this.started ? this.scanner.status : "waiting";
  }
}

/** True when `text` from `from` on is JSON whitespace only. */
function isBlank(text: string, from: number): boolean {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return false;
  }
  return true;
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
