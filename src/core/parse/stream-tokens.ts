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
 * regex call costs more than the run it checks); an integer of up to 15 digits is summed as it is read
 * (exact: below 2^53), anything else goes through `Number`, which rounds exactly as `JSON.parse` does.
 */
export function numberValue(s: string): unknown {
  const n = s.length;
  const negative = s.charCodeAt(0) === 0x2d;
  let i = negative ? 1 : 0;
  if (i >= n) return NOT_AN_ATOM;
  let sum = 0;
  if (s.charCodeAt(i) === 0x30) i++;
  else {
    const from = i;
    for (let c = s.charCodeAt(i); i < n && c >= 0x30 && c <= 0x39; c = s.charCodeAt(++i))
      sum = sum * 10 + c - 0x30;
    if (i === from) return NOT_AN_ATOM;
  }
  if (i === n && n - (negative ? 1 : 0) <= 15) return negative ? -sum : sum;
  if (i < n && s.charCodeAt(i) === 0x2e) {
    const from = i + 1;
    i = digits(s, from);
    if (i === from) return NOT_AN_ATOM;
  }
  if (i < n && (s.charCodeAt(i) | 0x20) === 0x65) {
    i++;
    if (i < n && (s.charCodeAt(i) === 0x2b || s.charCodeAt(i) === 0x2d)) i++;
    const from = i;
    i = digits(s, from);
    if (i === from) return NOT_AN_ATOM;
  }
  return i === n ? Number(s) : NOT_AN_ATOM;
}

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
