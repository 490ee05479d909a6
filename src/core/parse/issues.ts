/** Parse issues: a discriminated union on `code`, each with a JSON Pointer `path` and a derived message. */
import { type ErrorObject, WELL_FORMED_KEYWORD } from "../validate/ajv.js";
import { pointerJoin } from "./repairs.js";

interface At {
  /** JSON Pointer into the output (`""` for the whole output). */
  path: string;
  /** Human text derived from the other fields; never parse it. */
  message: string;
}

/** Why an output was not accepted. `code` says which kind; the extra fields are its typed parameters. */
export type Issue =
  | (At & { code: "invalid_json"; offset: number })
  | (At & { code: "no_json" })
  | (At & { code: "refusal"; refusal: string })
  | (At & { code: "incomplete"; reason: string })
  | (At & { code: "response_failed"; error: unknown })
  | (At & { code: "too_large"; limit: number; size: number })
  | (At & { code: "too_deep"; limit: number })
  | (At & { code: "too_many_repairs"; limit: number })
  | (At & { code: "invalid_unicode" })
  | (At & { code: "unsafe_number"; value: string })
  | (At & { code: "missing_property"; property: string })
  | (At & { code: "unknown_property"; property: string })
  | (At & { code: "invalid_type"; expected: string[] })
  | (At & { code: "invalid_enum"; allowed: unknown[] })
  | (At & { code: "out_of_range"; keyword: string; limit: number })
  | (At & { code: "invalid_format"; format: string })
  | (At & { code: "pattern_mismatch"; pattern: string })
  | (At & { code: "schema_mismatch"; keyword: string; params: Record<string, unknown> });

/** An issue code. */
export type IssueCode = Issue["code"];

/** Keeps issue lists bounded: a hostile output can fail a schema a million times over. */
export const MAX_ISSUES = 100;

const RANGE_KEYWORDS = new Set([
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "minProperties",
  "maxProperties",
  "minContains",
  "maxContains",
]);

/**
 * Converts ajv errors into issues. `root` is the validated value: it is read to tell a huge or infinite
 * number (`unsafe_number`) from an ordinary type or range error. Noise from the `anyOf [X, null]` idiom
 * (a "must be null" branch error next to the real one) is dropped, and duplicates are merged.
 */
export function issuesFromAjv(errors: readonly ErrorObject[] | null | undefined, root: unknown): Issue[] {
  const list = errors ?? [];
  const combinedAt = new Set(
    list.filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf").map((e) => e.instancePath),
  );
  const out: Issue[] = [];
  const seen = new Set<string>();
  for (const err of list) {
    if (out.length >= MAX_ISSUES) break;
    if (isCombinedNoise(err, list, combinedAt)) continue;
    const issue = issueFromError(err, root);
    const key = `${issue.code}\u0000${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(issue);
  }
  return out;
}

function isCombinedNoise(err: ErrorObject, all: readonly ErrorObject[], combinedAt: Set<string>): boolean {
  if (!combinedAt.has(err.instancePath)) return false;
  if (err.keyword === "type" && err.params.type === "null") return true;
  // The summary "must match a schema in anyOf" adds nothing when a branch error explains the failure.
  if (err.keyword === "anyOf" || err.keyword === "oneOf") {
    return all.some(
      (e) => e !== err && e.keyword !== "anyOf" && e.keyword !== "oneOf" && !isNullTypeError(e),
    );
  }
  return false;
}

function isNullTypeError(e: ErrorObject): boolean {
  return e.keyword === "type" && e.params.type === "null";
}

function issueFromError(err: ErrorObject, root: unknown): Issue {
  const path = err.instancePath;
  const p = err.params as Record<string, unknown>;
  const unsafe = unsafeNumberAt(err, root);
  if (unsafe !== undefined) {
    // As text: JSON would write Infinity as null.
    const value = String(unsafe);
    return { code: "unsafe_number", path, value, message: `number ${value} cannot be represented exactly` };
  }
  switch (err.keyword) {
    case "required": {
      const property = String(p.missingProperty);
      return {
        code: "missing_property",
        path: pointerJoin(path, property),
        property,
        message: "is required",
      };
    }
    case "additionalProperties":
    case "unevaluatedProperties": {
      const property = String(p.additionalProperty ?? p.unevaluatedProperty);
      const at = pointerJoin(path, property);
      return { code: "unknown_property", path: at, property, message: "is not an allowed property" };
    }
    case "type": {
      const expected = String(p.type).split(",");
      return { code: "invalid_type", path, expected, message: `must be ${expected.join(" or ")}` };
    }
    case "enum":
    case "const": {
      const allowed = (p.allowedValues as unknown[] | undefined) ?? [p.allowedValue];
      return { code: "invalid_enum", path, allowed, message: `must be one of ${JSON.stringify(allowed)}` };
    }
    case "format":
      return { code: "invalid_format", path, format: String(p.format), message: `must be a ${p.format}` };
    case WELL_FORMED_KEYWORD:
      return { code: "invalid_unicode", path, message: "string holds a lone UTF-16 surrogate" };
    case "pattern":
      return {
        code: "pattern_mismatch",
        path,
        pattern: String(p.pattern),
        message: `must match ${p.pattern}`,
      };
    default:
      return rangeOrOther(err, path, p);
  }
}

function rangeOrOther(err: ErrorObject, path: string, p: Record<string, unknown>): Issue {
  if (RANGE_KEYWORDS.has(err.keyword) && typeof p.limit === "number") {
    const message = `${err.keyword} ${p.comparison ?? ""} ${p.limit}`.replace(/\s+/g, " ");
    return {
      code: "out_of_range",
      path,
      keyword: err.keyword,
      limit: p.limit,
      message: `violates ${message}`,
    };
  }
  const message = `does not satisfy ${err.keyword}`;
  return { code: "schema_mismatch", path, keyword: err.keyword, params: { ...p }, message };
}

/**
 * Infinite numbers fail as `type` errors, integers beyond 2^53 as the safe-range bounds the parser adds
 * (see harden.ts); name them for what they are.
 */
function unsafeNumberAt(err: ErrorObject, root: unknown): number | undefined {
  const injectedBound =
    (err.keyword === "maximum" || err.keyword === "minimum") &&
    Math.abs(Number(err.params.limit)) === Number.MAX_SAFE_INTEGER;
  if (err.keyword !== "type" && !injectedBound) return undefined;
  const value = valueAt(root, err.instancePath);
  if (typeof value !== "number") return undefined;
  return injectedBound || !Number.isFinite(value) ? value : undefined;
}

/** Reads the value at a JSON Pointer (own properties only), or undefined. */
export function valueAt(root: unknown, pointer: string): unknown {
  if (pointer === "") return root;
  let cur: unknown = root;
  for (const raw of pointer.slice(1).split("/")) {
    const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (typeof cur !== "object" || cur === null || !Object.hasOwn(cur, seg)) return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}
