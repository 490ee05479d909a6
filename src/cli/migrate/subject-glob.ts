/**
 * `--subjects` patterns: comma-separated globs where `*` is any run of characters and `?` one character
 * (subject names have no `/`, so there is no `**`). Compiled to one linear-time matcher: no regular
 * expression is built from user text, so no pattern can backtrack.
 */
import { StructregError } from "../../core/errors.js";

const MAX_PATTERN_LENGTH = 1_000;
const MAX_GLOBS = 100;
const FORBIDDEN = /[[\]{}\\\u0000-\u001f]/;

/** A compiled `--subjects` filter. */
export type SubjectFilter = (subject: string) => boolean;

/** Compiles `--subjects`; undefined matches everything. A malformed pattern is SR_USAGE. */
export function compileSubjectFilter(pattern: string | undefined): SubjectFilter {
  if (pattern === undefined) return () => true;
  if (pattern.length > MAX_PATTERN_LENGTH)
    throw badGlob(pattern, `longer than ${MAX_PATTERN_LENGTH} characters`);
  const globs = pattern.split(",").map((g) => g.trim());
  if (globs.length > MAX_GLOBS) throw badGlob(pattern, `more than ${MAX_GLOBS} patterns`);
  for (const glob of globs) {
    if (glob === "") throw badGlob(pattern, "an empty pattern");
    if (FORBIDDEN.test(glob)) throw badGlob(pattern, "brackets, braces, backslashes or control characters");
  }
  return (subject) => globs.some((glob) => matchGlob(glob, subject));
}

function badGlob(pattern: string, why: string): StructregError {
  return new StructregError("SR_USAGE", `--subjects ${JSON.stringify(pattern.slice(0, 80))} has ${why}`, {
    hint: "use comma-separated globs with * and ?, e.g. --subjects 'orders-*,payments-value'",
  });
}

/**
 * Glob matching in O(glob × text) at worst: the classic greedy algorithm that remembers only the last `*`
 * (backtracking to it alone is enough for `*` and `?`).
 */
export function matchGlob(glob: string, text: string): boolean {
  let g = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (g < glob.length && (glob[g] === "?" || glob[g] === text[t])) {
      g++;
      t++;
    } else if (g < glob.length && glob[g] === "*") {
      star = g++;
      mark = t;
    } else if (star !== -1) {
      g = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (g < glob.length && glob[g] === "*") g++;
  return g === glob.length;
}
