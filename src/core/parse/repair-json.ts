/**
 * A tolerant JSON reader for model output that `JSON.parse` rejected. It repairs trailing and missing
 * commas, single and smart quotes, unquoted keys, comments, Python literals, raw control characters in
 * strings, and truncation where only closing brackets are missing. It never invents content: a text cut
 * inside a string, number or literal fails. Iterative (an explicit stack), so nesting cannot overflow the
 * call stack; objects are built with `setOwn`, so `__proto__` keys stay plain data.
 */
import { setOwn } from "../json.js";
import { addRepair, pointerJoin, type Repair, type RepairKind, repairOf } from "./repairs.js";

/** The repaired value, or where and why the text could not be read. */
export type RepairOutcome =
  | { ok: true; value: unknown; truncated: boolean }
  | { ok: false; reason: "syntax"; offset: number; message: string }
  | { ok: false; reason: "too_deep"; limit: number };

/** Where the reader is inside the top container. */
type State = "key" | "colon" | "value" | "next" | "item" | "itemNext";

interface Frame {
  container: Record<string, unknown> | unknown[];
  path: string;
  state: State;
  key: string;
  afterComma: boolean;
}

// Control flow inside this module only: repairJson turns both into outcome values. Not Errors, so no
// stack trace is captured on hostile input.
/** A syntax error at an offset. */
class SyntaxFailure {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

class TooDeepFailure {}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WORD = /[A-Za-z_$][A-Za-z0-9_$]*/y;
const KEY_WORD = /[A-Za-z0-9_$][A-Za-z0-9_$-]*/y;
const LITERALS: Record<string, unknown> = { true: true, false: false, null: null };
const PYTHON_LITERALS: Record<string, unknown> = { True: true, False: false, None: null };
/** JSON's single-character escapes (`\\n` → newline …), shared with the stream scanner. */
export const JSON_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};
// Closing quotes of a non-standard string: an apostrophe inside 'it's' is content, not the end.
const AFTER_CLOSE = new Set([",", "}", "]", ":"]);

/**
 * Reads `text` (a span starting with a JSON value), appending each repair to `repairs`.
 * Nesting deeper than `maxDepth` fails with `too_deep`.
 */
export function repairJson(text: string, maxDepth: number, repairs: Repair[]): RepairOutcome {
  const reader = new Reader(text, maxDepth, repairs);
  try {
    return { ok: true, value: reader.read(), truncated: reader.truncated };
  } catch (err) {
    if (err instanceof SyntaxFailure)
      return { ok: false, reason: "syntax", offset: err.offset, message: err.message };
    if (err instanceof TooDeepFailure) return { ok: false, reason: "too_deep", limit: maxDepth };
    throw err;
  }
}

class Reader {
  pos = 0;
  truncated = false;
  private readonly stack: Frame[] = [];
  private root: unknown;
  private done = false;

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
    private readonly repairs: Repair[],
  ) {}

  read(): unknown {
    for (;;) {
      this.skipTrivia();
      if (this.pos >= this.text.length) break;
      if (this.done) {
        this.note("dropped_trailing_text", "");
        break;
      }
      this.step();
    }
    if (this.stack.length > 0) this.closeTruncated();
    if (!this.done) this.fail("no JSON value");
    return this.root;
  }

  private step(): void {
    const top = this.stack.at(-1);
    const c = this.text[this.pos]!;
    if (top === undefined) {
      this.startValue(c);
    } else if ((top.state === "key" && c === "}") || (top.state === "item" && c === "]")) {
      this.close(top);
    } else if (top.state === "key") {
      top.key = this.readKey(c);
      top.state = "colon";
    } else if (top.state === "colon") {
      if (c !== ":") this.fail("expected ':'");
      this.pos++;
      top.state = "value";
    } else if (top.state === "value" || top.state === "item") {
      this.startValue(c);
    } else {
      const isObject = top.state === "next";
      this.separator(top, c, isObject ? "}" : "]", isObject ? "key" : "item");
    }
  }

  /** After a member or item: a comma, the closing bracket, or (repaired) the start of the next one. */
  private separator(top: Frame, c: string, closer: string, next: State): void {
    if (c === ",") {
      this.pos++;
      top.state = next;
      top.afterComma = true;
    } else if (c === closer) {
      this.close(top);
    } else if (startsValue(c)) {
      this.note("missing_comma", top.path);
      top.state = next;
      top.afterComma = false;
    } else {
      this.fail(`expected ',' or '${closer}'`);
    }
  }

  private close(top: Frame): void {
    if (top.afterComma) this.note("trailing_comma", top.path);
    this.pos++;
    this.stack.pop();
    this.deliver(top.container);
  }

  private startValue(c: string): void {
    if (c === "{" || c === "[") this.open(c === "[");
    else this.deliver(this.readScalar(c));
  }

  private readScalar(c: string): unknown {
    const quote = quoteKind(c);
    if (quote !== undefined) return this.readString(quote);
    if (c === "-" || (c >= "0" && c <= "9")) return this.readNumber();
    const word = this.match(WORD);
    if (word !== undefined && Object.hasOwn(LITERALS, word)) return LITERALS[word];
    if (word !== undefined && Object.hasOwn(PYTHON_LITERALS, word)) {
      this.note("python_literal", this.valuePath(), word, PYTHON_LITERALS[word]);
      return PYTHON_LITERALS[word];
    }
    return this.fail(word === undefined ? `unexpected '${c}'` : `unexpected word '${word.slice(0, 40)}'`);
  }

  private open(isArray: boolean): void {
    if (this.stack.length >= this.maxDepth) throw new TooDeepFailure();
    const path = this.stack.length === 0 ? "" : this.valuePath();
    this.stack.push({
      container: isArray ? [] : {},
      path,
      state: isArray ? "item" : "key",
      key: "",
      afterComma: false,
    });
    this.pos++;
  }

  private deliver(value: unknown): void {
    const top = this.stack.at(-1);
    if (top === undefined) {
      this.root = value;
      this.done = true;
    } else if (Array.isArray(top.container)) {
      top.container.push(value);
      top.state = "itemNext";
      top.afterComma = false;
    } else {
      setOwn(top.container, top.key, value);
      top.state = "next";
      top.afterComma = false;
    }
  }

  /** JSON Pointer of the value about to be read in the top frame. */
  private valuePath(): string {
    const top = this.stack.at(-1);
    if (top === undefined) return "";
    return Array.isArray(top.container)
      ? pointerJoin(top.path, top.container.length)
      : pointerJoin(top.path, top.key);
  }

  private readKey(c: string): string {
    const quote = quoteKind(c);
    if (quote !== undefined) return this.readString(quote, true);
    const word = this.match(KEY_WORD);
    if (word === undefined) this.fail("expected a key or '}'");
    this.note("unquoted_key", pointerJoin(this.stack.at(-1)!.path, word));
    return word;
  }

  private readString(quote: Quote, isKey = false): string {
    const start = this.pos;
    const text = this.text;
    let out = "";
    let run = ++this.pos;
    let control = false;
    for (;;) {
      if (this.pos >= text.length) this.fail("the text ends inside a string (not invented back)", start);
      const c = text[this.pos]!;
      if (c === "\\") {
        out += text.slice(run, this.pos) + this.readEscape(quote);
        run = this.pos;
      } else if (quote.closers.includes(c) && (quote.standard || this.closesHere())) {
        out += text.slice(run, this.pos);
        this.pos++;
        break;
      } else {
        if (c.charCodeAt(0) < 0x20) control = true;
        this.pos++;
      }
    }
    const path = isKey ? pointerJoin(this.stack.at(-1)!.path, out) : this.valuePath();
    if (!quote.standard) this.note("quotes", path, quote.name);
    if (control) this.note("control_char", path);
    return out;
  }

  /**
   * For a non-standard quote: the quote at `pos` ends the string only before structure, the end, or
   * (after a space) another quoted string, as in `['a' 'b']` with its comma missing.
   */
  private closesHere(): boolean {
    let i = this.pos + 1;
    while (i < this.text.length && /\s/.test(this.text[i]!)) i++;
    if (i >= this.text.length || AFTER_CLOSE.has(this.text[i]!)) return true;
    return i > this.pos + 1 && quoteKind(this.text[i]!) !== undefined;
  }

  private readEscape(quote: Quote): string {
    const e = this.text[this.pos + 1];
    if (e === undefined) this.fail("the text ends inside a string (not invented back)");
    if (e === "u") {
      const hex = this.text.slice(this.pos + 2, this.pos + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail("invalid \\u escape");
      this.pos += 6;
      return String.fromCharCode(Number.parseInt(hex, 16));
    }
    const plain = Object.hasOwn(JSON_ESCAPES, e)
      ? JSON_ESCAPES[e]
      : quote.closers.includes(e)
        ? e
        : undefined;
    if (plain === undefined) this.fail(`invalid escape '\\${e}'`);
    this.pos += 2;
    return plain;
  }

  private readNumber(): number {
    const token = this.match(NUMBER);
    if (token === undefined) this.fail("invalid number");
    const next = this.text[this.pos];
    if (next === undefined && this.stack.length > 0) {
      this.fail("the text ends inside a number (not invented back)", this.pos - token.length);
    }
    if (next !== undefined && /[0-9A-Za-z.+-]/.test(next))
      this.fail("invalid number", this.pos - token.length);
    return Number(token);
  }

  private match(re: RegExp): string | undefined {
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (m === null) return undefined;
    this.pos += m[0].length;
    return m[0];
  }

  private skipTrivia(): void {
    const text = this.text;
    for (;;) {
      const c = text.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
        this.pos++;
      } else if (c === 0x2f && text[this.pos + 1] === "/") {
        const end = text.indexOf("\n", this.pos);
        this.comment(end === -1 ? text.length : end);
      } else if (c === 0x2f && text[this.pos + 1] === "*") {
        const end = text.indexOf("*/", this.pos + 2);
        this.comment(end === -1 ? text.length : end + 2);
      } else {
        return;
      }
    }
  }

  private comment(end: number): void {
    const top = this.stack.at(-1);
    this.note("comment", top?.path ?? "", this.text.slice(this.pos, Math.min(end, this.pos + 80)));
    this.pos = end;
  }

  /** Closes what the cut left open, dropping a key that never got its value. */
  private closeTruncated(): void {
    const top = this.stack.at(-1)!;
    if (top.state === "colon" || top.state === "value") {
      this.note("dropped_dangling_key", pointerJoin(top.path, top.key), top.key);
    }
    let closers = "";
    while (this.stack.length > 0) {
      const frame = this.stack.pop()!;
      closers += Array.isArray(frame.container) ? "]" : "}";
      this.deliver(frame.container);
    }
    this.note("closed_truncation", "", undefined, closers);
    this.truncated = true;
  }

  private note(kind: RepairKind, path: string, from?: unknown, to?: unknown): void {
    addRepair(this.repairs, repairOf(kind, path, from, to));
  }

  private fail(message: string, offset = this.pos): never {
    throw new SyntaxFailure(offset, message);
  }
}

interface Quote {
  name: string;
  closers: string;
  standard: boolean;
}

const QUOTES: Record<string, Quote> = {
  '"': { name: '"', closers: '"', standard: true },
  "'": { name: "'", closers: "'", standard: false },
  "\u201c": { name: "\u201c", closers: "\u201d\u201c", standard: false },
  "\u201d": { name: "\u201d", closers: "\u201d\u201c", standard: false },
  "\u2018": { name: "\u2018", closers: "\u2019\u2018", standard: false },
  "\u2019": { name: "\u2019", closers: "\u2019\u2018", standard: false },
};

function quoteKind(c: string): Quote | undefined {
  return Object.hasOwn(QUOTES, c) ? QUOTES[c] : undefined;
}

function startsValue(c: string): boolean {
  return c === "{" || c === "[" || c === "-" || quoteKind(c) !== undefined || /[A-Za-z0-9_$]/.test(c);
}
