/**
 * Where a top-level member's value sits in the text of a JSON object. validate-batch uses it to embed an
 * `{"output": {…}}` line's output text in the result instead of serialising the parsed value again
 * (serialising costs about as much as the parse; finding the span costs a fraction of it).
 *
 * The text must be one that `JSON.parse` accepted: the scanner relies on it (strings are closed, brackets
 * balance) and answers `undefined` on anything it does not expect rather than guessing.
 */

import { balancedEnd, skipSpace } from "../../core/parse/extract.js";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** [start, end) of a value in a text. */
export interface Span {
  start: number;
  end: number;
}

/**
 * The span of the value of member `name` of the object `text` holds (the last such member, as `JSON.parse`
 * keeps the last of duplicate keys), or undefined when there is none.
 */
export function memberValueSpan(text: string, name: string): Span | undefined {
  let i = skipSpace(text, 0);
  if (text.charCodeAt(i) !== OPEN_BRACE) return undefined;
  i = skipSpace(text, i + 1);
  if (text.charCodeAt(i) === CLOSE_BRACE) return undefined;
  let found: Span | undefined;
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) return undefined;
    const keyEnd = stringEnd(text, i);
    if (keyEnd === -1) return undefined;
    const colon = skipSpace(text, keyEnd);
    if (text.charCodeAt(colon) !== COLON) return undefined;
    const start = skipSpace(text, colon + 1);
    const end = valueEnd(text, start);
    if (end === -1) return undefined;
    if (keyIs(text, i, keyEnd, name)) found = { start, end };
    i = skipSpace(text, end);
    const c = text.charCodeAt(i);
    if (c === CLOSE_BRACE) return found;
    if (c !== COMMA) return undefined;
    i = skipSpace(text, i + 1);
  }
}

/** Index after the closing quote of the string opening at `i`; -1 if it does not close. */
function stringEnd(text: string, i: number): number {
  let from = i + 1;
  for (;;) {
    const q = text.indexOf('"', from);
    if (q === -1) return -1;
    let slashes = 0;
    while (text.charCodeAt(q - 1 - slashes) === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return q + 1;
    from = q + 1;
  }
}

/** Index after the value starting at `i`; -1 if it does not end. */
function valueEnd(text: string, i: number): number {
  const first = text.charCodeAt(i);
  if (first === QUOTE) return stringEnd(text, i);
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    // A number, true, false or null: up to the next delimiter.
    let j = i;
    for (;;) {
      const c = text.charCodeAt(j);
      if (Number.isNaN(c) || c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || c <= 0x20) {
        return j === i ? -1 : j;
      }
      j++;
    }
  }
  // An object or array: where its bracket balances. Inside a member the object's own `}` still follows, so
  // a value that runs to the end of the text did not close.
  const end = balancedEnd(text, i, text.length, Number.POSITIVE_INFINITY);
  return end >= text.length ? -1 : end;
}

/** Whether the key string at [start, end) (quotes included) decodes to `name`. */
function keyIs(text: string, start: number, end: number, name: string): boolean {
  // Without escapes the key is its raw text; with them, JSON decodes it (rare: it costs a parse of the key).
  if (end - start - 2 === name.length && text.startsWith(name, start + 1)) return true;
  const raw = text.slice(start, end);
  return raw.includes("\\") && JSON.parse(raw) === name;
}
