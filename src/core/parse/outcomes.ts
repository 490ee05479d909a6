/** The result type of validate-and-parse and constructors for its failure outcomes. */
import type { Issue } from "./issues.js";
import { MAX_REPAIRS, type Repair } from "./repairs.js";

/** Why an output was not accepted. `refusal`, `incomplete` and `failed` are model outcomes, not parse errors. */
export type ParseFailureReason =
  | "invalid"
  | "no_json"
  | "refusal"
  | "incomplete"
  | "failed"
  | "too_large"
  | "too_deep";

/** The outcome of validate-and-parse: a value, never a throw. */
export type ParseResult =
  | { ok: true; data: unknown; repairs: readonly Repair[]; track: "strict" | "tolerant" }
  | { ok: false; issues: Issue[]; repairs: readonly Repair[]; reason: ParseFailureReason };

/** The `repairs` of every strict-track success: one frozen array, so the hot path allocates none. */
export const NO_REPAIRS: readonly Repair[] = Object.freeze([]);

/** A failed ParseResult. */
export type ParseFailure = Extract<ParseResult, { ok: false }>;

/** Builds a failure. */
export function failure(reason: ParseFailureReason, issues: Issue[], repairs: Repair[] = []): ParseFailure {
  return { ok: false, reason, issues, repairs };
}

/** The output is longer than the parser accepts. */
export function tooLarge(size: number, limit: number): ParseFailure {
  return failure("too_large", [
    {
      code: "too_large",
      path: "",
      size,
      limit,
      message: `output of ${size} characters exceeds the limit of ${limit}`,
    },
  ]);
}

/** The output nests deeper than the parser accepts (or than the validator's stack allows). */
export function tooDeep(limit: number, repairs: Repair[] = []): ParseFailure {
  const message = `output nests deeper than ${limit} levels`;
  return failure("too_deep", [{ code: "too_deep", path: "", limit, message }], repairs);
}

/** The output needed more repairs than a slightly broken model output would. */
export function tooManyRepairs(repairs: Repair[]): ParseFailure {
  const message = `output needs more than ${MAX_REPAIRS} repairs`;
  return failure("invalid", [{ code: "too_many_repairs", path: "", limit: MAX_REPAIRS, message }], repairs);
}

/** The output holds no JSON object; reads as a refusal when it starts like one. */
export function noJson(refusal: string | undefined, repairs: Repair[] = []): ParseFailure {
  if (refusal !== undefined) {
    return failure(
      "refusal",
      [{ code: "refusal", path: "", refusal, message: "the model refused" }],
      repairs,
    );
  }
  return failure(
    "no_json",
    [{ code: "no_json", path: "", message: "the output holds no JSON object" }],
    repairs,
  );
}

/** The text is not JSON and could not be repaired. */
export function invalidJson(offset: number, message: string, repairs: Repair[] = []): ParseFailure {
  return failure("invalid", [{ code: "invalid_json", path: "", offset, message }], repairs);
}

/** A string in the output holds a lone UTF-16 surrogate. */
export function invalidUnicode(path: string, repairs: Repair[] = []): ParseFailure {
  const message = "string holds a lone UTF-16 surrogate";
  return failure("invalid", [{ code: "invalid_unicode", path, message }], repairs);
}

/** Offset of a `JSON.parse` SyntaxError, when V8's message carries one. */
export function syntaxErrorOffset(err: unknown): number {
  const m = err instanceof Error ? /position (\d+)/.exec(err.message) : null;
  return m === null ? 0 : Number(m[1]);
}
