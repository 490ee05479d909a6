/**
 * Remembers, by fingerprint, whether a schema compiles. Registration, check, lookup and compatibility all
 * analyse the schema they are sent; without this, every lookup or compatibility call compiled ajv again,
 * and a caller repeating a hostile schema had structreg repeat its most expensive step. Failures are
 * remembered too. Bounded: the least recently used verdicts are forgotten first.
 */
import type { JsonSchema } from "../core/json.js";
import { type CompileCheck, type STACK_EXHAUSTED, tryCompile } from "../core/schema/analyze.js";
import { LruCache } from "./validation/lru.js";

/** Default number of fingerprints whose compile verdict is kept. */
export const DEFAULT_COMPILE_CACHE_SIZE = 1_000;

/** Options of `createCompileCheck`. */
export interface CompileCheckOptions {
  /** Verdicts kept (default 1,000). */
  size?: number;
  /** Compiles one schema, answering ajv's error message or undefined (default: ajv, as registration does). */
  compile?: (schema: JsonSchema) => string | typeof STACK_EXHAUSTED | undefined;
}

/** A compile check that compiles each fingerprint once while it stays in the cache. */
export function createCompileCheck(options: CompileCheckOptions = {}): CompileCheck {
  const compile = options.compile ?? tryCompile;
  // null: compiles. A string: ajv's error. (LruCache answers undefined for "not known".)
  const verdicts = new LruCache<string, string | typeof STACK_EXHAUSTED | null>(
    options.size ?? DEFAULT_COMPILE_CACHE_SIZE,
  );
  return (schema, fingerprint) => {
    let verdict = verdicts.get(fingerprint);
    if (verdict === undefined) {
      verdict = compile(schema) ?? null;
      verdicts.set(fingerprint, verdict);
    }
    return verdict ?? undefined;
  };
}
