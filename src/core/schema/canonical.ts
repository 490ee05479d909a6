import type { JsonValue } from "../json.js";

/**
 * Canonical JSON text of a value: object keys sorted by UTF-16 code unit (recursively), no insignificant
 * whitespace, strings and numbers exactly as `JSON.stringify` prints them. Two schemas that differ only in
 * key order or formatting get the same text, hence the same fingerprint.
 *
 * Iterative (an explicit stack, not recursion) so a deeply nested value cannot overflow the call stack.
 */
export function canonicalJson(value: JsonValue): string {
  const out: string[] = [];
  // Each entry is either a value still to print or a literal token (wrapped so it is not mistaken for a string value).
  const stack: Array<JsonValue | Token> = [value];
  while (stack.length > 0) {
    const item = stack.pop() as JsonValue | Token;
    if (item instanceof Token) {
      out.push(item.text);
    } else if (Array.isArray(item)) {
      out.push("[");
      stack.push(CLOSE_ARRAY);
      for (let i = item.length - 1; i >= 0; i--) {
        stack.push(item[i] as JsonValue);
        if (i > 0) stack.push(COMMA);
      }
    } else if (item !== null && typeof item === "object") {
      pushObject(item, out, stack);
    } else {
      out.push(printScalar(item));
    }
  }
  return out.join("");
}

/** Fingerprint of a canonical JSON text: the hex digest of the hash function passed in (sha256). */
export function fingerprintOf(canonical: string, sha256: (text: string) => string): string {
  return sha256(canonical);
}

class Token {
  constructor(readonly text: string) {}
}

const COMMA = new Token(",");
const CLOSE_ARRAY = new Token("]");
const CLOSE_OBJECT = new Token("}");

function pushObject(
  item: { [key: string]: JsonValue },
  out: string[],
  stack: Array<JsonValue | Token>,
): void {
  // Default sort compares UTF-16 code units, which is what the canonical form promises.
  const keys = Object.keys(item).sort();
  out.push("{");
  stack.push(CLOSE_OBJECT);
  for (let i = keys.length - 1; i >= 0; i--) {
    const key = keys[i] as string;
    stack.push(item[key] as JsonValue);
    stack.push(new Token(`${JSON.stringify(key)}:`));
    if (i > 0) stack.push(COMMA);
  }
}

function printScalar(value: null | boolean | number | string): string {
  // JSON.stringify prints non-finite numbers as null, like it would inside a document.
  return JSON.stringify(value) ?? "null";
}
