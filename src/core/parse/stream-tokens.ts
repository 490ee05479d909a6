/** The JSON tokens the stream scanner reads a character run at a time: escapes, numbers and literals. */
import { JSON_ESCAPES } from "./repair-json.js";

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
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
  if (atom === "true") return true;
  if (atom === "false") return false;
  if (atom === "null") return null;
  return NUMBER.test(atom) ? Number(atom) : NOT_AN_ATOM;
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
