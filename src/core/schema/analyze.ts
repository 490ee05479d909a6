import { type ErrorCode, isStructregError } from "../errors.js";
import { isJsonObject, type JsonSchema } from "../json.js";
import type { Profile } from "../model.js";
import { compileSchema } from "../validate/ajv.js";
import { canonicalJson, fingerprintOf } from "./canonical.js";
import { resolveLimits, type SchemaLimits, type SchemaLimitsInput } from "./limits.js";
import { hasLintErrors, lintSchema } from "./lint.js";
import type { LintProblem } from "./lint-types.js";
import { canonicalReferences, type SchemaReference } from "./references.js";
import { checkSchemaDepth, checkSchemaSafety, checkSchemaSize } from "./safety.js";

/** Options of `analyzeSchema`. */
export interface AnalyzeOptions {
  profile: Profile;
  limits?: SchemaLimitsInput;
  /** Hex sha256 of a text (the core does no hashing of its own). */
  sha256: (text: string) => string;
  /** Confluent's schemaType; absent means JSON. */
  schemaType?: string;
  /**
   * Whether the schema compiles: ajv's error message, or undefined when it does. Defaults to compiling it;
   * the registry passes a check that remembers verdicts by fingerprint, so a repeated request compiles once.
   */
  compileCheck?: CompileCheck;
  /**
   * The schema's references (exact versions), part of its identity: the fingerprint covers them. With them,
   * `bundle` turns the parsed document into its self-contained form (bundle.ts), which every check after
   * parsing (safety, compile, lint) judges.
   */
  references?: readonly SchemaReference[];
  bundle?: (root: JsonSchema) => JsonSchema;
}

/** A compile verdict: the $ref chains nest so deeply that ajv's compile exhausted the stack. */
export const STACK_EXHAUSTED = Symbol("stack exhausted");

/** ajv's error message for a schema that does not compile (or STACK_EXHAUSTED), undefined for one that does. */
export type CompileCheck = (
  schema: JsonSchema,
  fingerprint: string,
) => string | typeof STACK_EXHAUSTED | undefined;

/** An accepted schema: parsed, canonical text, fingerprint, and lint warnings. */
export interface AnalyzeSuccess {
  ok: true;
  /** The document as sent (what is stored and served). */
  schema: JsonSchema;
  /** The self-contained form (referenced documents inlined); `schema` itself when there are no references. */
  bundled: JsonSchema;
  canonical: string;
  fingerprint: string;
  /** Warnings only (a schema with lint errors is refused). */
  lint: LintProblem[];
}

/** A refused schema, with a stable code, a message saying what to change, and every lint problem. */
export interface AnalyzeFailure {
  ok: false;
  code: ErrorCode;
  message: string;
  lint: LintProblem[];
  hint?: string;
}

/** Result of `analyzeSchema`. */
export type AnalyzeResult = AnalyzeSuccess | AnalyzeFailure;

/**
 * Everything the registry needs to know about a schema before storing it, cheapest checks first:
 * schema type, size, JSON syntax, shape, depth, remote references, unsafe patterns, canonical form and
 * fingerprint, ajv compile, then provider lint. Never throws for bad input: failures are values.
 */
export function analyzeSchema(input: string | JsonSchema, options: AnalyzeOptions): AnalyzeResult {
  const limits = resolveLimits(options.limits);
  const type = options.schemaType ?? "JSON";
  if (type.toUpperCase() !== "JSON") {
    return fail(
      "SR_UNSUPPORTED_SCHEMA_TYPE",
      `Schema type "${type}" is not supported; structreg stores JSON Schema only.`,
      {
        hint: 'Send "schemaType": "JSON" or leave it out.',
      },
    );
  }
  const parsed = parseInput(input, limits);
  if (!parsed.ok) return parsed;
  const schema = parsed.schema;
  const bundled = bundleOrFail(schema, options);
  if (!bundled.ok) return bundled;
  const unsafe = checkSchemaSafety(bundled.schema, limits);
  if (unsafe !== undefined)
    return fail(unsafe.code, unsafe.message, unsafe.hint === undefined ? {} : { hint: unsafe.hint });
  // The fingerprint keys the compile verdict: key order and whitespace never change whether a schema compiles,
  // and the references (exact versions of immutable documents) fix what the bundle holds.
  const canonical = canonicalJson(schema);
  const fingerprint = fingerprintOf(canonical + referencesSuffix(options.references), options.sha256);
  const compileError = (options.compileCheck ?? tryCompile)(bundled.schema, fingerprint);
  if (compileError === STACK_EXHAUSTED) {
    // ajv compiles each $ref target inside the one referencing it: a chain of hundreds of definitions.
    return fail("SR_SCHEMA_TOO_DEEP", "Schema's $ref chains nest too deeply to compile.", {
      hint: "Shorten chains of definitions that reference one another.",
    });
  }
  if (compileError !== undefined) {
    return fail("SR_INVALID_SCHEMA", `Schema does not compile as JSON Schema: ${compileError}`);
  }
  const lint = lintWithProfile(bundled.schema, options.profile, limits);
  if (!Array.isArray(lint)) return lint;
  if (hasLintErrors(lint)) return lintFailure(lint, options.profile);
  return { ok: true, schema, bundled: bundled.schema, canonical, fingerprint, lint };
}

/** What the fingerprint adds for references: nothing without them, so such fingerprints never changed. */
export function referencesSuffix(references: readonly SchemaReference[] | undefined): string {
  const canonical = canonicalReferences(references ?? []);
  return canonical === "" ? "" : `\u0000references:${canonical}`;
}

function bundleOrFail(schema: JsonSchema, options: AnalyzeOptions): Parsed {
  if (options.bundle === undefined || (options.references ?? []).length === 0) return { ok: true, schema };
  try {
    return { ok: true, schema: options.bundle(schema) };
  } catch (err) {
    if (isStructregError(err))
      return fail(err.code, err.message, err.hint === undefined ? {} : { hint: err.hint });
    throw err;
  }
}

type Parsed = { ok: true; schema: JsonSchema } | AnalyzeFailure;

/** Size, JSON syntax and shape of the input; an object input is measured for depth first (it may be cyclic). */
function parseInput(input: string | JsonSchema, limits: SchemaLimits): Parsed {
  let text: string;
  if (typeof input === "string") {
    text = input;
  } else {
    const deep = checkSchemaDepth(input, limits);
    if (deep !== undefined) return fail(deep.code, deep.message);
    const printed = stringify(input);
    if (printed === undefined) return fail("SR_INVALID_SCHEMA", "Schema is not representable as JSON.");
    text = printed;
  }
  const large = checkSchemaSize(text, limits);
  if (large !== undefined) return fail(large.code, large.message);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    // V8 parses iteratively, but a RangeError here would still mean "too deep", not a crash.
    if (err instanceof RangeError) return fail("SR_SCHEMA_TOO_DEEP", "Schema is nested too deeply to parse.");
    return fail("SR_INVALID_SCHEMA", `Schema is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof value !== "boolean" && !isJsonObject(value)) {
    return fail("SR_INVALID_SCHEMA", "Schema must be a JSON object or a boolean.");
  }
  return { ok: true, schema: value };
}

function stringify(input: unknown): string | undefined {
  try {
    // Round-tripping through text also drops what JSON cannot hold (undefined, functions).
    return JSON.stringify(input) as string | undefined;
  } catch {
    return undefined; // BigInt or similar: not JSON
  }
}

/** Compiles the schema (no memory of earlier verdicts). */
export function tryCompile(schema: JsonSchema): string | typeof STACK_EXHAUSTED | undefined {
  try {
    compileSchema(schema);
    return undefined;
  } catch (err) {
    if (err instanceof RangeError) return STACK_EXHAUSTED;
    return err instanceof Error ? err.message : String(err);
  }
}

function lintWithProfile(
  schema: JsonSchema,
  profile: Profile,
  limits: SchemaLimits,
): LintProblem[] | AnalyzeFailure {
  try {
    return lintSchema(schema, profile, limits);
  } catch (err) {
    // Only an unknown profile makes lint throw; report it as a value like every other failure.
    if (isStructregError(err)) return fail(err.code, err.message);
    throw err;
  }
}

function lintFailure(lint: LintProblem[], profile: Profile): AnalyzeFailure {
  const errors = lint.filter((p) => p.severity === "error");
  const listed = errors.map((p) => `${p.path || "/"}: ${p.message.replace(/\.$/, "")}`).join("; ");
  return fail("SR_LINT_FAILED", `Schema breaks ${errors.length} ${profile} rule(s): ${listed}`, {
    lint,
    hint: `Fix the listed problems, or register the subject with the "json-schema" profile if it is not sent to the provider.`,
  });
}

function fail(
  code: ErrorCode,
  message: string,
  extra: { lint?: LintProblem[]; hint?: string } = {},
): AnalyzeFailure {
  const failure: AnalyzeFailure = { ok: false, code, message, lint: extra.lint ?? [] };
  if (extra.hint !== undefined) failure.hint = extra.hint;
  return failure;
}
