/**
 * The resumable JSON reader behind the stream parser. It keeps its tokenizer state (inside a string, an
 * escape, a number or literal) and its container stack between deltas, so each character is read once
 * however the text is cut, and it builds the partial value in place (stream-builder.ts says where each
 * value goes): a snapshot costs nothing until the caller copies it.
 *
 * What it shows: containers as soon as they open (with their members so far), a string as it forms
 * (unless it is an enum or a key), and a number or literal only once a delimiter proves it complete.
 * Anything it cannot read (the tolerant track's repairs beyond a trailing comma) stalls the preview;
 * `end()` still judges the whole text.
 */
import {
  COLON,
  type Frame,
  ITEM,
  ITEM_OR_END,
  KEY,
  KEY_OR_END,
  NEXT,
  PartialBuilder,
  VALUE,
} from "./stream-builder.js";
import { StringReader } from "./stream-string.js";
import { atomValue, isAtomChar, NOT_AN_ATOM } from "./stream-tokens.js";

export type { ScanStatus } from "./stream-builder.js";

// What the tokenizer is inside of.
const BETWEEN = 0;
const STRING = 1;
const ATOM = 2;

/** Reads JSON text delta by delta into a partial value. */
export class PartialScanner extends PartialBuilder {
  /**
   * A trailing comma was read (`[1,]`, `{"a":1,}`): shown as the tolerant track reads it, but the text is
   * not JSON as `JSON.parse` reads it.
   */
  lenient = false;
  private lex = BETWEEN;
  private readonly str = new StringReader();
  private strIsKey = false;
  /** The string being read is a value shown as it forms. */
  private strShown = false;
  private atom = "";

  /** Reads `text` from index `from` on; returns where it stopped (`text.length` unless the root closed or it stalled). */
  write(text: string, from: number): number {
    this.str.newText();
    let i = from;
    const n = text.length;
    while (i < n && this.status === "reading") {
      if (this.lex === STRING) {
        i = this.scanString(text, i);
      } else if (this.lex === ATOM) {
        i = this.scanAtom(text, i);
      } else {
        const c = text.charCodeAt(i);
        if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
        else i = this.between(text, i, c);
      }
    }
    if (this.lex === STRING && this.strShown && this.status === "reading") this.showText();
    return i;
  }

  /** True when a raw control character was read inside a string (JSON.parse refuses such text). */
  get rawControl(): boolean {
    return this.str.rawControl;
  }

  /** False when no string read can hold a lone surrogate (none was read, raw or escaped). */
  get surrogate(): boolean {
    return this.str.surrogate;
  }

  /** JSON Pointer of the string shown as it forms, if one is being read. */
  pending(): string | undefined {
    return this.pendingString() ? this.placePath(this.top()) : undefined;
  }

  /** True while a string shown as it forms is being read (it is the last member of the top container). */
  pendingString(): boolean {
    return this.lex === STRING && this.strShown;
  }

  /** Reads from a token's first character `c` at `i` (not whitespace); returns where it stopped. */
  private between(text: string, i: number, c: number): number {
    const top = this.topFrame;
    if (top !== undefined) {
      const expect = top.expect;
      if (c === 0x22 && (expect === KEY || expect === KEY_OR_END)) return this.quickMember(text, i, top);
      if (expect === VALUE || expect === ITEM || expect === ITEM_OR_END) {
        const j = this.quickValue(text, i);
        if (j !== i) return j;
      }
    }
    return this.structural(c) ? i + 1 : i;
  }

  /** Handles one character between tokens; false when it starts an atom (read by scanAtom, not consumed). */
  private structural(c: number): boolean {
    const top = this.top();
    if (top === undefined) return this.startValue(c);
    switch (top.expect) {
      case KEY_OR_END:
      case KEY:
        if (c === 0x22) this.startString(true);
        else if (c === 0x7d) {
          // `,}`: the tolerant track drops the comma too
          if (top.expect === KEY) this.lenient = true;
          this.close(top);
        } else this.status = "stalled";
        return true;
      case COLON:
        if (c === 0x3a) top.expect = VALUE;
        else this.status = "stalled";
        return true;
      case NEXT:
        if (c === 0x2c) top.expect = top.isArray ? ITEM : KEY;
        else if (c === (top.isArray ? 0x5d : 0x7d)) this.close(top);
        else this.status = "stalled";
        return true;
      default:
        if (c === 0x5d && top.isArray) {
          if (top.expect === ITEM) this.lenient = true;
          this.close(top);
          return true;
        }
        return this.startValue(c);
    }
  }

  private startValue(c: number): boolean {
    if (c === 0x7b || c === 0x5b) this.open(c === 0x5b);
    else if (c === 0x22) this.startString(false);
    else if (c === 0x2d || (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a)) {
      this.lex = ATOM;
      this.atom = "";
      return false;
    } else this.status = "stalled";
    return true;
  }

  /**
   * Reads a member from its key's opening quote at `i`; returns where it stopped. PERFORMANCE: the common
   * member, `"key":value` with a key and a string, number or literal value that need no escape, is read in
   * one go when the delta holds all of it: one slice per token, no token states. Whatever it leaves
   * (an escape, whitespace, a container, a token the delta cuts) is read token by token from where it
   * stopped, so the outcome is the same.
   */
  private quickMember(text: string, i: number, top: Frame): number {
    const str = this.str;
    const keyEnd = text.indexOf('"', i + 1);
    if (keyEnd === -1 || !str.plain(text, i + 1, keyEnd)) {
      this.startString(true);
      return i + 1;
    }
    str.note(text, i + 1, keyEnd);
    this.setKey(top, text.slice(i + 1, keyEnd));
    const j = keyEnd + 1;
    if (text.charCodeAt(j) !== 0x3a) return j;
    top.expect = VALUE;
    return this.quickValue(text, j + 1);
  }

  /**
   * Reads a string, number or literal value at `j` in one go when the delta holds all of it (and its
   * delimiter); returns where it stopped (`j` when it read nothing: the general path takes over).
   */
  private quickValue(text: string, j: number): number {
    const c = text.charCodeAt(j);
    if (c === 0x22) {
      const str = this.str;
      const end = text.indexOf('"', j + 1);
      if (end === -1 || !str.plain(text, j + 1, end)) return j;
      str.note(text, j + 1, end);
      this.deliverShown(text.slice(j + 1, end));
      return end + 1;
    }
    if (!(c === 0x2d || (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a))) return j;
    let k = j + 1;
    while (k < text.length && isAtomChar(text.charCodeAt(k))) k++;
    if (k === text.length) return j;
    this.endAtom(text.slice(j, k));
    return k;
  }

  private startString(isKey: boolean): void {
    this.lex = STRING;
    this.str.start();
    this.strIsKey = isKey;
    this.strShown = !isKey && this.placeSlot(this.top())?.showsText() === true;
  }

  /** Reads string content up to the closing quote or the end of `text`; returns where it stopped. */
  private scanString(text: string, from: number): number {
    const end = this.str.read(text, from);
    if (this.str.bad) this.status = "stalled";
    else if (end !== -1) {
      this.endString();
      return end;
    }
    return text.length;
  }

  private endString(): void {
    this.lex = BETWEEN;
    const top = this.top();
    const text = this.str.text;
    if (this.strIsKey && top !== undefined) this.setKey(top, text);
    else this.deliverShown(text);
    this.strShown = false;
  }

  /** Shows the string being read as it is so far (minus a trailing high surrogate waiting for its pair). */
  private showText(): void {
    this.attach(this.top(), this.str.shown());
  }

  /** Reads a number or literal; it is complete only once a delimiter follows it. */
  private scanAtom(text: string, from: number): number {
    let i = from;
    while (i < text.length && isAtomChar(text.charCodeAt(i))) i++;
    const piece = text.slice(from, i);
    if (i === text.length) {
      this.atom += piece;
      return i;
    }
    this.lex = BETWEEN;
    // An atom read within one delta (nearly all) is that delta's slice: no concatenation.
    const atom = this.atom === "" ? piece : this.atom + piece;
    this.atom = "";
    this.endAtom(atom);
    return i;
  }

  /** Delivers a complete value; a string shown as it formed is taken back when it is not accepted. */
  private deliverShown(value: unknown): void {
    this.deliver(value, this.strShown);
  }

  private endAtom(atom: string): void {
    const value = atomValue(atom);
    if (value === NOT_AN_ATOM) this.status = "stalled";
    else this.deliverShown(value);
  }
}
