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
