/** Lone UTF-16 surrogates: strings that cannot be written as UTF-8 (PostgreSQL's jsonb rejects them too). */
import { pointerJoin } from "./repairs.js";

// String.prototype.isWellFormed is in Node 20 but not in TypeScript's ES2023 lib.
type WellFormed = { isWellFormed(): boolean };

/** True when `s` has no lone surrogate. Constant time for one-byte (Latin-1) strings in V8. */
export function isWellFormed(s: string): boolean {
  return (s as unknown as WellFormed).isWellFormed();
}

/**
 * Cheap screen on the raw text: a lone surrogate can only reach a parsed value through a raw one in the
 * text or a `\uD800`-style escape, so texts with neither (nearly all) skip the walk over the value.
 */
export function mayHoldLoneSurrogate(text: string): boolean {
  // PERFORMANCE: a one-character search (memchr) first; the two-character one only from a backslash on.
  const backslash = text.indexOf("\\");
  return (backslash !== -1 && text.indexOf("\\u", backslash) !== -1) || !isWellFormed(text);
}

/**
 * True when a string (key or value) of `value` holds a lone surrogate. Recursive and allocation-free: call
 * it only on values whose depth is already bounded (validated, depth-checked); `findLoneSurrogate` then
 * names the place.
 */
export function holdsLoneSurrogate(value: unknown): boolean {
  if (typeof value === "string") return !isWellFormed(value);
  if (typeof value !== "object" || value === null) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (holdsLoneSurrogate(value[i])) return true;
    return false;
  }
  // PERFORMANCE: keys through for-in (V8's enum cache, no array) and values through Object.values (a fast
  // path for plain objects): a third faster than reading each value by key. Inherited enumerable keys are
  // checked too, which can only add a check.
  for (const key in value) if (!isWellFormed(key)) return true;
  const values = Object.values(value);
  for (let i = 0; i < values.length; i++) if (holdsLoneSurrogate(values[i])) return true;
  return false;
}

/** JSON Pointer of the first string (key or value) holding a lone surrogate, or undefined. Iterative. */
export function findLoneSurrogate(value: unknown): string | undefined {
  const stack: Array<{ value: unknown; path: string }> = [{ value, path: "" }];
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === "string") {
      if (!isWellFormed(v)) return path;
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: pointerJoin(path, i) });
    } else if (typeof v === "object" && v !== null) {
      for (const key of Object.keys(v)) {
        const child = pointerJoin(path, key);
        if (!isWellFormed(key)) return child;
        stack.push({ value: (v as Record<string, unknown>)[key], path: child });
      }
    }
  }
  return undefined;
}
