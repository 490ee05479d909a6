/**
 * The string token of the stream scanner, read across deltas: it keeps its place inside an escape (a
 * `\u` cut after two digits waits for the other two) and hands back the decoded text so far.
 */
import { escapeOf, HEX4 } from "./stream-tokens.js";

/** Reads one JSON string at a time, resumably. */
export class StringReader {
  /** The decoded text so far (a rope of the pieces read). */
  text = "";
  /** An escape the JSON grammar does not have: the scanner stalls. */
  bad = false;
  /** A raw control character was read inside a string: JSON.parse refuses the text (the tolerant track repairs it). */
  rawControl = false;
  /**
   * A surrogate was read, raw or from a `\u` escape: only then can a string hold a lone one (a sound
   * screen: it may also be half of a pair cut between deltas).
   */
  surrogate = false;
  /** The last character of `text` (0 when empty). */
  private tail = 0;
  /** 0: not in an escape; 1: after the backslash; 2: inside `\u` (digits in `hex`). */
  private esc = 0;
  private hex = "";
  /** Index of the next backslash in the text being read (its length when none; -1: not searched yet). */
  private backslash = -1;

  /** Starts a new string (after its opening quote). */
  start(): void {
    this.text = "";
    this.tail = 0;
  }

  /** A new text (delta) is about to be read: positions remembered in the previous one are void. */
  newText(): void {
    this.backslash = -1;
  }

  /**
   * True when `text[from, to)` holds no backslash. PERFORMANCE: the next backslash's position is
   * remembered per text (as `read` does), so a run of calls over one text searches it once.
   */
  plain(text: string, from: number, to: number): boolean {
    if (this.backslash < from && this.backslash !== text.length) {
      this.backslash = text.indexOf("\\", from);
      if (this.backslash === -1) this.backslash = text.length;
    }
    return this.backslash >= to;
  }

  /** Notes the control characters and surrogates of `text[from, to)`, read raw inside a string. */
  note(text: string, from: number, to: number): void {
    for (let k = from; k < to; k++) {
      const c = text.charCodeAt(k);
      if (c < 0x20) this.rawControl = true;
      else if (c >= 0xd800 && c <= 0xdfff) this.surrogate = true;
    }
  }

  /** The text so far minus a trailing high surrogate that waits for its pair. */
  shown(): string {
    return this.tail >= 0xd800 && this.tail <= 0xdbff ? this.text.slice(0, -1) : this.text;
  }

  /**
   * Reads string content from `from` up to the closing quote; returns the index after it, or -1 when
   * `text` ended first (or the string went bad).
   * PERFORMANCE: the content is skipped with native searches for the next quote and backslash, not a
   * loop over characters; the backslash's position is remembered per text, so searches stay linear.
   */
  read(text: string, from: number): number {
    const n = text.length;
    let i = from;
    if (this.esc !== 0) {
      i = this.escape(text, i);
      if (this.esc !== 0) return -1;
    }
    for (;;) {
      let quote = text.indexOf('"', i);
      if (quote === -1) quote = n;
      if (this.backslash < i && this.backslash !== n) {
        this.backslash = text.indexOf("\\", i);
        if (this.backslash === -1) this.backslash = n;
      }
      if (quote < this.backslash) {
        this.append(text, i, quote);
        return quote === n ? -1 : quote + 1;
      }
      if (this.backslash === n) break;
      this.append(text, i, this.backslash);
      this.esc = 1;
      i = this.escape(text, this.backslash + 1);
      if (this.esc !== 0) return -1;
    }
    this.append(text, i, n);
    return -1;
  }

  /** Continues an escape; returns the index after it (or `text.length` when it is still cut off). */
  private escape(text: string, from: number): number {
    let i = from;
    while (i < text.length) {
      if (this.esc === 1) {
        const e = text[i++]!;
        if (e === "u") {
          this.esc = 2;
          this.hex = "";
          continue;
        }
        const plain = escapeOf(e);
        if (plain === undefined) return this.fail(text);
        this.push(plain);
        this.esc = 0;
        return i;
      }
      const take = Math.min(4 - this.hex.length, text.length - i);
      this.hex += text.slice(i, i + take);
      i += take;
      if (this.hex.length === 4) {
        if (!HEX4.test(this.hex)) return this.fail(text);
        // A high surrogate waits in `text` for its pair; shown() hides it while it is last.
        const code = Number.parseInt(this.hex, 16);
        if (code >= 0xd800 && code <= 0xdfff) this.surrogate = true;
        this.push(String.fromCharCode(code));
        this.esc = 0;
        return i;
      }
    }
    return i;
  }

  private fail(text: string): number {
    this.bad = true;
    this.esc = 0;
    return text.length;
  }

  /** Appends `text[from, to)` as read raw (not from an escape), noting control characters and surrogates. */
  private append(text: string, from: number, to: number): void {
    if (to <= from) return;
    this.note(text, from, to);
    this.push(text.slice(from, to));
  }

  /**
   * PERFORMANCE: `text` is a rope of the pieces read so far; reading a character of it would flatten it
   * (a copy per delta, quadratic in the string's length), so its last character is kept aside.
   */
  private push(piece: string): void {
    this.text += piece;
    this.tail = piece.charCodeAt(piece.length - 1);
  }
}
