/**
 * Finds nested repetition in a regular expression — `(a+)+`, `(a*)*`, `(\w+\s?)*`, `(x{1,5}){2,}` —
 * the shape behind catastrophic backtracking: an unbounded quantifier (`*`, `+`, `{n,}`) over a group
 * that holds a variable-count quantifier (`*`, `+`, `{n,}`, `{n,m}` with m > n and m ≥ 2). `?` and exact
 * counts inside, or a bounded quantifier outside, cannot multiply the ways a string splits without limit,
 * so `(\.\d+)?`, `(?:[a-z]{4})*` or `([0-9a-f]{1,4}:){1,7}` (Zod's time, base64 and ipv6 patterns) pass.
 * safe-regex2 refuses every nested quantifier and more than 25 in all, which would refuse most
 * Zod-generated schemas. A heuristic like every such check: it does not judge overlapping alternatives.
 *
 * The pattern must already be a valid RegExp with the `u` flag: that syntax has no lone `{` or `}`,
 * so a single left-to-right scan can tell quantifiers from literals.
 */
export function hasNestedRepetition(pattern: string): boolean {
  // One frame per open group: does its body so far contain a variable-count quantifier?
  const frames: boolean[] = [false];
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i] as string;
    let atomVariable = false;
    if (ch === "(") {
      frames.push(false);
      i = skipGroupPrefix(pattern, i + 1);
      continue;
    }
    if (ch === "|") {
      i++;
      continue;
    }
    if (ch === ")") {
      atomVariable = frames.pop() ?? false;
      i++;
    } else if (ch === "[") {
      i = skipClass(pattern, i + 1);
    } else if (ch === "\\") {
      i = skipEscape(pattern, i + 1);
    } else {
      i++;
    }
    const quantifier = readQuantifier(pattern, i);
    if (quantifier !== undefined) {
      if (quantifier.unbounded && atomVariable) return true;
      atomVariable ||= quantifier.variable;
      i = quantifier.end;
    }
    if (atomVariable) frames[frames.length - 1] = true;
  }
  return false;
}

function skipGroupPrefix(pattern: string, i: number): number {
  if (pattern[i] !== "?") return i;
  // (?: (?= (?! (?<= (?<! (?<name>
  if (pattern[i + 1] === "<" && pattern[i + 2] !== "=" && pattern[i + 2] !== "!") {
    const close = pattern.indexOf(">", i);
    return close < 0 ? pattern.length : close + 1;
  }
  return pattern[i + 1] === "<" ? i + 3 : i + 2;
}

function skipClass(pattern: string, i: number): number {
  while (i < pattern.length && pattern[i] !== "]")
    i = pattern[i] === "\\" ? skipEscape(pattern, i + 1) : i + 1;
  return i + 1;
}

/** Skips the escape whose letter is at `i`, including `\u{…}`, `\p{…}`, `\P{…}` and `\k<…>` bodies. */
function skipEscape(pattern: string, i: number): number {
  const letter = pattern[i];
  const close = { u: "}", p: "}", P: "}", k: ">" }[letter ?? ""];
  const opener = letter === "k" ? "<" : "{";
  if (close !== undefined && pattern[i + 1] === opener) {
    const end = pattern.indexOf(close, i + 2);
    return end < 0 ? pattern.length : end + 1;
  }
  return i + 1;
}

interface Quantifier {
  /** No upper bound: `*`, `+`, `{n,}`. */
  unbounded: boolean;
  /** The count can vary by at least two: unbounded, or `{n,m}` with m > n and m ≥ 2. */
  variable: boolean;
  end: number;
}

const BRACE_QUANTIFIER = /^\{(\d+)(,(\d*))?\}/;

function readQuantifier(pattern: string, i: number): Quantifier | undefined {
  const ch = pattern[i];
  let min: number;
  let max: number;
  let end: number;
  if (ch === "*" || ch === "+" || ch === "?") {
    [min, max, end] = [ch === "+" ? 1 : 0, ch === "?" ? 1 : Number.POSITIVE_INFINITY, i + 1];
  } else if (ch === "{") {
    const brace = BRACE_QUANTIFIER.exec(pattern.slice(i, i + 40));
    if (brace === null) return undefined;
    min = Number(brace[1]);
    max = brace[2] === undefined ? min : brace[3] === "" ? Number.POSITIVE_INFINITY : Number(brace[3]);
    end = i + brace[0].length;
  } else {
    return undefined;
  }
  // A lazy marker (`*?`) changes the order of attempts, not how many there are.
  if (pattern[end] === "?") end++;
  const unbounded = max === Number.POSITIVE_INFINITY;
  return { unbounded, variable: max > min && max >= 2, end };
}
