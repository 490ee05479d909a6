/**
 * The resumable JSON reader behind the stream parser. It keeps its tokenizer state (inside a string, an
 * escape, a number or literal) and its container stack between deltas, so each character is read once
 * however the text is cut, and it builds the partial value in place: a snapshot costs nothing until the
 * caller copies it.
 *
 * What it shows: containers as soon as they open (with their members so far), a string as it forms
 * (unless it is an enum or a key), and a number or literal only once a delimiter proves it complete.
 * A value is shown only where the schema accepts it as it is (stream-slots.ts); an array stops showing
 * items after one it held back, so the indexes it shows stay right. Anything it cannot read (the tolerant
 * track's repairs beyond a trailing comma) stalls the preview; `end()` still judges the whole text.
 */
import { setOwn } from "../json.js";
import { pointerJoin } from "./repairs.js";
import type { SlotOrHidden } from "./stream-slots.js";
import { StringReader } from "./stream-string.js";
import { atomValue, isAtomChar, NOT_AN_ATOM } from "./stream-tokens.js";

/** How far the reader got: `stalled` when the text stopped being readable JSON, `done` once the root closed. */
export type ScanStatus = "reading" | "done" | "stalled" | "too_deep";

// What the top container expects next.
const KEY_OR_END = 0;
const KEY = 1;
const COLON = 2;
const VALUE = 3;
const NEXT = 4;
const ITEM_OR_END = 5;
const ITEM = 6;

// What the tokenizer is inside of.
const BETWEEN = 0;
const STRING = 1;
const ATOM = 2;

/** An open container. */
export interface Frame {
  isArray: boolean;
  container: Record<string, unknown> | unknown[];
  path: string;
  /** null: this container is not shown (nor anything in it). */
  slot: SlotOrHidden;
  expect: number;
  key: string;
  /** The slot of the member being read (set with `key`). */
  member: SlotOrHidden;
  index: number;
  /** Every member so far shown exactly as received: only then is the container complete when it closes. */
  clean: boolean;
  /** An item was held back: later items are not shown either (their indexes would be wrong). */
  gap: boolean;
}

/** Reads JSON text delta by delta into a partial value. */
export class PartialScanner {
  status: ScanStatus = "reading";
  /** The partial value (undefined until the root opens). */
  root: unknown;
  /** Shown containers that closed with something held back: not complete, though everything in them is read. */
  readonly unclean = new Set<object>();
  /** The open containers, outermost first. */
  readonly stack: Frame[] = [];
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

  constructor(
    private readonly rootSlot: SlotOrHidden,
    private readonly maxDepth: number,
  ) {}

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
        else if (this.structural(c)) i++;
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

  private open(isArray: boolean): void {
    if (this.stack.length >= this.maxDepth) {
      this.status = "too_deep";
      return;
    }
    const top = this.top();
    const place = this.placeSlot(top);
    const slot = place === null ? null : place.container(isArray);
    const container = isArray ? [] : {};
    let path = "";
    if (slot !== null) {
      path = this.placePath(top);
      this.attach(top, container);
    } else this.holdBack(top);
    const expect = isArray ? ITEM_OR_END : KEY_OR_END;
    this.stack.push({
      isArray,
      container,
      path,
      slot,
      expect,
      key: "",
      member: null,
      index: 0,
      clean: true,
      gap: false,
    });
  }

  private close(top: Frame): void {
    this.stack.pop();
    const parent = this.top();
    if (top.slot !== null && !top.clean) {
      this.unclean.add(top.container);
      if (parent !== undefined) parent.clean = false;
    }
    this.afterValue(parent);
  }

  /** A complete scalar: shown when the schema accepts it as it is, else held back. */
  private deliver(value: unknown): void {
    const top = this.top();
    const place = this.placeSlot(top);
    if (place?.accepts(value)) this.attach(top, value);
    else {
      if (this.strShown) this.detach(top);
      this.holdBack(top);
    }
    this.afterValue(top);
  }

  private afterValue(top: Frame | undefined): void {
    if (top === undefined) {
      this.status = "done";
      return;
    }
    top.expect = NEXT;
    if (top.isArray) top.index++;
  }

  /** The slot of the value about to be read in `top`; null when it is not shown. */
  private placeSlot(top: Frame | undefined): SlotOrHidden {
    if (top === undefined) return this.rootSlot;
    if (top.slot === null) return null;
    if (!top.isArray) return top.member;
    return top.gap ? null : top.slot.item(top.index);
  }

  private placePath(top: Frame | undefined): string {
    if (top === undefined) return "";
    return pointerJoin(top.path, top.isArray ? top.index : top.key);
  }

  private attach(top: Frame | undefined, value: unknown): void {
    if (top === undefined) this.root = value;
    else if (top.isArray) (top.container as unknown[])[top.index] = value;
    else setOwn(top.container as Record<string, unknown>, top.key, value);
  }

  private detach(top: Frame | undefined): void {
    if (top === undefined) this.root = undefined;
    else if (top.isArray) (top.container as unknown[]).length = top.index;
    else delete (top.container as Record<string, unknown>)[top.key];
  }

  private holdBack(top: Frame | undefined): void {
    if (top === undefined || top.slot === null) return;
    top.clean = false;
    if (top.isArray) top.gap = true;
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
    if (this.strIsKey && top !== undefined) {
      if (top.slot === null) top.key = text;
      else {
        const member = top.slot.member(text);
        top.key = member.key;
        top.member = member.slot;
      }
      top.expect = COLON;
    } else this.deliver(text);
    this.strShown = false;
  }

  /** Shows the string being read as it is so far (minus a trailing high surrogate waiting for its pair). */
  private showText(): void {
    this.attach(this.top(), this.str.shown());
  }

  private top(): Frame | undefined {
    return this.stack[this.stack.length - 1];
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

  private endAtom(atom: string): void {
    const value = atomValue(atom);
    if (value === NOT_AN_ATOM) this.status = "stalled";
    else this.deliver(value);
  }
}
