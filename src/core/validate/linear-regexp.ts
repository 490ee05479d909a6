/**
 * The one regular-expression engine structreg runs a schema's patterns on: RE2 (re2js, pure JavaScript),
 * whose matching time is linear in the input whatever the pattern. ECMAScript's backtracking RegExp can take
 * exponential time on patterns such as `^(?:\w|[a-z_]|[^-]|.)*-$`, so it only ever compiles a schema's
 * pattern (to check its syntax), never matches with it.
 */
import { RE2JS } from "re2js";
import { translateToRe2 } from "./re2-translate.js";

/** What ajv (and structreg's own matching) needs of a compiled pattern. */
export interface LinearRegExp {
  test(input: string): boolean;
}

/** A pattern compiled for RE2, or why it cannot be. */
export type LinearPattern =
  | { ok: true; regexp: LinearRegExp }
  /** `invalid`: not even a `u`-flag RegExp; otherwise valid, but RE2 cannot run it. */
  | { ok: false; invalid: boolean; reason: string };

// Compiled patterns are shared by every validator and diff that uses the same source; the bound keeps
// hostile requests (each with new patterns) from growing it. RE2's lazy DFA caps its own memory per pattern.
const CACHE_LIMIT = 512;
const compiled = new Map<string, LinearPattern>();

/**
 * Compiles a JSON Schema pattern (ECMAScript syntax, `u` flag) for RE2, once per source (bounded cache).
 * Refused: what is not a valid `u`-flag RegExp, and what RE2 cannot run (backreferences, lookaround, some
 * Unicode properties, counted repetition past 1,000).
 */
export function compileLinearPattern(source: string): LinearPattern {
  let entry = compiled.get(source);
  if (entry === undefined) {
    entry = compile(source);
    if (compiled.size >= CACHE_LIMIT) compiled.delete(compiled.keys().next().value as string);
    compiled.set(source, entry);
  }
  return entry;
}

function compile(source: string): LinearPattern {
  try {
    // Syntax check only: compiling is linear, matching is what can backtrack.
    new RegExp(source, "u");
  } catch {
    return {
      ok: false,
      invalid: true,
      reason: "is not a valid ECMAScript regular expression with the u flag",
    };
  }
  const translated = translateToRe2(source);
  if (!translated.ok) return { ok: false, invalid: false, reason: translated.reason };
  try {
    return { ok: true, regexp: new Re2Pattern(source, RE2JS.compile(translated.source), translated.exact) };
  } catch (err) {
    const detail = err instanceof Error ? err.message.replace(/^error parsing regexp: /, "") : String(err);
    return { ok: false, invalid: false, reason: `RE2 cannot run it (${detail})` };
  }
}

/** A compiled pattern. ajv keys the patterns of a validator by `toString()`: one key per ECMAScript source. */
class Re2Pattern implements LinearRegExp {
  constructor(
    private readonly source: string,
    private readonly re2: RE2JS,
    private readonly exact: boolean,
  ) {}

  test(input: string): boolean {
    // An anchored match of what lies between `^` and `$`: the same answer as a search, about twice as fast.
    return this.exact ? this.re2.testExact(input) : this.re2.test(input);
  }

  toString(): string {
    return `re2:${this.source}`;
  }
}

/**
 * Whether `input` matches `source` somewhere (like `RegExp.prototype.test`), in linear time. A pattern RE2
 * cannot run matches nothing: such schemas are refused before they are stored.
 */
export function testPattern(source: string, input: string): boolean {
  const entry = compileLinearPattern(source);
  return entry.ok && entry.regexp.test(input);
}

/**
 * ajv's `code.regExp` engine: every `pattern` and `patternProperties` key runs on RE2. Throws for a pattern
 * RE2 cannot run, so ajv refuses to compile the schema rather than fall back to backtracking. `code` is
 * what ajv's standalone output writes to obtain this function.
 */
export const linearRegExpEngine = Object.assign(
  (source: string, _flags: string): LinearRegExp => {
    const entry = compileLinearPattern(source);
    if (!entry.ok) {
      throw new Error(`pattern ${JSON.stringify(source)} cannot run in linear time: ${entry.reason}`);
    }
    return entry.regexp;
  },
  { code: 'require("structreg").linearRegExpEngine' },
);
