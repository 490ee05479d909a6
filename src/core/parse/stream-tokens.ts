/** The JSON tokens the stream scanner reads a character run at a time: escapes, numbers and literals. */
import { JSON_ESCAPES } from "./repair-json.js";

/** Four hex digits of a `\\u` escape. */
export const HEX4 = /^[0-9a-fA-F]{4}$/;

/** What `atomValue` answers for a run that is neither a number nor a literal. */
export const NOT_AN_ATOM: unique symbol = Symbol("not an atom");

/** The character a one-letter escape stands for (`n` → newline), or undefined when it is not one. */
export function escapeOf(e: string): string | undefined {
  return Object.hasOwn(JSON_ESCAPES, e) ? JSON_ESCAPES[e] : undefined;
}

/** The value of a complete number or literal (`true`, `false`, `null`), else NOT_AN_ATOM. */
export function atomValue(atom: string): unknown {
  switch (atom.charCodeAt(0)) {
    case 0x74:
      return atom === "true" ? true : NOT_AN_ATOM;
    case 0x66:
      return atom === "false" ? false : NOT_AN_ATOM;
    case 0x6e:
      return atom === "null" ? null : NOT_AN_ATOM;
    default:
      return numberValue(atom);
  }
}

/**
 * The value of `s` when it is a number in JSON's grammar (`-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`),
 * else NOT_AN_ATOM.
 * PERFORMANCE: a loop over the characters, not a regular expression (atoms are short and many, and a
 * regex call costs more than the run it checks). A number of at most 15 digits without an exponent is
 * summed as it is read and divided by its power of ten: both are exact doubles (below 2^53 and 10^22),
 * and IEEE division rounds correctly, so this is the correctly rounded value `Number` and `JSON.parse`
 * give (Clinger's fast path). Anything else goes through `Number`.
 */
export function numberValue(s: string): unknown {
  const n = s.length;
  const negative = s.charCodeAt(0) === 0x2d;
  let i = negative ? 1 : 0;
  if (i >= n) return NOT_AN_ATOM;
  let sum = 0;
  let first = i;
  if (s.charCodeAt(i) === 0x30) i++;
  else {
    for (let c = s.charCodeAt(i); i < n && c >= 0x30 && c <= 0x39; c = s.charCodeAt(++i))
      sum = sum * 10 + c - 0x30;
    if (i === first) return NOT_AN_ATOM;
  }
  let digitCount = i - first;
  let scale = 0;
  if (i < n && s.charCodeAt(i) === 0x2e) {
    first = ++i;
    for (let c = s.charCodeAt(i); i < n && c >= 0x30 && c <= 0x39; c = s.charCodeAt(++i))
      sum = sum * 10 + c - 0x30;
    if (i === first) return NOT_AN_ATOM;
    scale = i - first;
    digitCount += scale;
  }
  if (i === n) {
    if (digitCount > 15) return Number(s);
    const value = scale === 0 ? sum : sum / POWERS_OF_TEN[scale]!;
    return negative ? -value : value;
  }
  if ((s.charCodeAt(i) | 0x20) !== 0x65) return NOT_AN_ATOM;
  i++;
  if (i < n && (s.charCodeAt(i) === 0x2b || s.charCodeAt(i) === 0x2d)) i++;
  const from = i;
  i = digits(s, from);
  return i === from || i !== n ? NOT_AN_ATOM : Number(s);
}

/** 10^0 … 10^15, exact doubles. */
const POWERS_OF_TEN = Array.from({ length: 16 }, (_, k) => 10 ** k);

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** The index after the run of digits starting at `from`. */
function digits(s: string, from: number): number {
  let i = from;
  while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  return i;
}

/** True for the characters a number or literal is made of (the run ends at any other). */
export function isAtomChar(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    c === 0x2e ||
    c === 0x2b ||
    c === 0x2d
  );
}
