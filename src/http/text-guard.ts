import { StructregError } from "../core/errors.js";

/** Cheap test on the body text: only a body with a `\u0000` or surrogate escape can hold unstorable text. */
const SUSPECT_ESCAPE = /\\u(?:0000|d[89a-f])/i;

interface Pending {
  value: unknown;
  path: string;
}

function unstorable(text: string): boolean {
  return text.includes("\u0000") || !(text as unknown as { isWellFormed(): boolean }).isWellFormed();
}

/**
 * The JSON Pointer of the first string (key or value) holding NUL or a lone UTF-16 surrogate, which
 * PostgreSQL text cannot hold (NUL fails the query, a surrogate is silently replaced). Iterative, so
 * nesting depth costs no stack; linear in the parsed body, which the body limit bounds.
 */
export function unstorableTextPath(root: unknown): string | undefined {
  const stack: Pending[] = [{ value: root, path: "" }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { value, path } = item;
    if (typeof value === "string") {
      if (unstorable(value)) return path;
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) stack.push({ value: value[i], path: `${path}/${i}` });
    } else if (typeof value === "object" && value !== null) {
      for (const [key, element] of Object.entries(value)) {
        const at = `${path}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
        if (unstorable(key)) return at;
        stack.push({ value: element, path: at });
      }
    }
  }
  return undefined;
}

/**
 * Refuses a request body holding NUL or a lone surrogate anywhere with SR_INVALID_REQUEST, before it can
 * reach the store as a 500. `text` is the raw body: most bodies are passed on one regular expression test.
 */
export function checkStorableText(text: string, parsed: unknown): StructregError | undefined {
  if (!SUSPECT_ESCAPE.test(text)) return undefined;
  const path = unstorableTextPath(parsed);
  if (path === undefined) return undefined;
  return new StructregError("SR_INVALID_REQUEST", "Body holds a NUL character or a lone UTF-16 surrogate", {
    details: { path: path.slice(0, 300) },
    hint: "send well-formed text without \\u0000",
  });
}
