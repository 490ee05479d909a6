/** Pretty-printed JSON that remembers on which line each JSON Pointer starts (for diff navigation). */
import { toPointer } from "../core/compat/json-pointer.js";

/** Lines of the text and the line index of each pointer ("" is the root). */
export interface PrettyJson {
  lines: string[];
  lineOf: Map<string, number>;
}

/** Lines printed at most: schemas are size-limited on registration, this bounds the page anyway. */
export const MAX_PRETTY_LINES = 20_000;

/** Prints `value` like JSON.stringify(value, null, 2), line by line, recording each member's line. */
export function prettyJson(value: unknown): PrettyJson {
  const out: PrettyJson = { lines: [], lineOf: new Map() };
  emit(out, value, [], "", "", "");
  return out;
}

function emit(out: PrettyJson, value: unknown, path: string[], indent: string, label: string, tail: string) {
  if (out.lines.length >= MAX_PRETTY_LINES) return;
  out.lineOf.set(toPointer(path), out.lines.length);
  const entries = childrenOf(value);
  if (entries === undefined) {
    out.lines.push(`${indent}${label}${JSON.stringify(value) ?? "null"}${tail}`);
    return;
  }
  const [open, close] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
  if (entries.length === 0) {
    out.lines.push(`${indent}${label}${open}${close}${tail}`);
    return;
  }
  out.lines.push(`${indent}${label}${open}`);
  entries.forEach(([key, child], i) => {
    const childLabel = Array.isArray(value) ? "" : `${JSON.stringify(key)}: `;
    emit(out, child, [...path, key], `${indent}  `, childLabel, i < entries.length - 1 ? "," : "");
  });
  out.lines.push(`${indent}${close}${tail}`);
}

function childrenOf(value: unknown): Array<[string, unknown]> | undefined {
  if (Array.isArray(value)) return value.map((v, i) => [String(i), v]);
  if (value !== null && typeof value === "object") return Object.entries(value);
  return undefined;
}
