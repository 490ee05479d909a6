import { isJsonObject, type JsonValue } from "../json.js";

/** True for keys that are annotations only (`x-…`): they never take part in a comparison. */
export function isAnnotationKey(key: string): boolean {
  return key.startsWith("x-");
}

/**
 * A canonical text for a JSON value: object keys sorted, `x-` annotation keys dropped, so two values
 * that differ only in key order or annotations get the same text. Used for equality and set keys.
 */
export function canonicalKey(value: JsonValue | undefined): string {
  if (value === undefined) return "";
  if (Array.isArray(value)) return `[${value.map(canonicalKey).join(",")}]`;
  if (!isJsonObject(value)) return JSON.stringify(value);
  const keys = Object.keys(value)
    .filter((k) => !isAnnotationKey(k))
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalKey(value[k])}`).join(",")}}`;
}

/** Deep JSON equality, ignoring key order and `x-` annotations; `undefined` equals only `undefined`. */
export function jsonEquals(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a === b) return true;
  return canonicalKey(a) === canonicalKey(b);
}
