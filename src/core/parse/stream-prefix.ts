/**
 * Where the JSON starts in a streamed output, found one delta at a time: after a BOM and whitespace when
 * the output starts with `{` or `[`; else at a fenced block whose content starts with `{`; else at the
 * first `{` in the prose. Each character is looked at once, whatever the deltas' sizes.
 *
 * This follows `extractJson` as far as a stream allows without waiting for the end: it cannot know that
 * a fenced object comes later, so a `{` in the prose before the first fence is taken. Partials are a
 * preview only; `end()` extracts from the whole text with the full rules.
 */

const WAITING_START = 0; // only a BOM and whitespace so far
const PROSE = 1; // looking for a `{` or a fence
const FENCE_INFO = 2; // after an opening fence, up to its line's end (the language tag)
const FENCE_BODY = 3; // at the start of a fenced block: whitespace, then `{` or something else
const FENCE_SKIP = 4; // inside a block that does not hold an object: up to its closing fence

const BACKTICK = 0x60;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;

/** Finds the start of the JSON across deltas. */
export class PrefixFinder {
  /**
   * True when the JSON found started the output, after JSON whitespace only (no BOM, prose or fence):
   * then the text before it is nothing `JSON.parse` would refuse.
   */
  direct = true;
  private state = WAITING_START;
  private ticks = 0;
  private seen = 0;

  /** Index in `delta` of the JSON's first character, or -1 when the delta holds none (its state is kept). */
  find(delta: string): number {
    for (let i = 0; i < delta.length; i++) {
      const c = delta.charCodeAt(i);
      const first = this.seen++ === 0;
      if (this.step(c, first)) return i;
    }
    return -1;
  }

  /** True when `c` starts the JSON. */
  private step(c: number, first: boolean): boolean {
    switch (this.state) {
      case WAITING_START:
        if (isSpace(c)) return false;
        if (first && c === 0xfeff) {
          this.direct = false;
          return false;
        }
        if (c === OPEN_BRACE || c === OPEN_BRACKET) return true;
        this.state = PROSE;
        this.direct = false;
        return this.step(c, false);
      case PROSE:
        if (this.fence(c)) this.state = FENCE_INFO;
        return c === OPEN_BRACE;
      case FENCE_INFO:
        if (c === 0x0a) this.state = FENCE_BODY;
        return false;
      case FENCE_BODY:
        if (isSpace(c)) return false;
        if (c === OPEN_BRACE) return true;
        this.state = FENCE_SKIP;
        return this.step(c, false);
      default:
        if (this.fence(c)) this.state = PROSE;
        return false;
    }
  }

  /** Counts backticks; true on the third in a row. */
  private fence(c: number): boolean {
    if (c !== BACKTICK) {
      this.ticks = 0;
      return false;
    }
    if (++this.ticks < 3) return false;
    this.ticks = 0;
    return true;
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}
