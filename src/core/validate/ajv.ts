import { _, Ajv, type ErrorObject, type Options, type ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { isJsonObject, type JsonSchema, type JsonValue, setOwn } from "../json.js";
import { linearRegExpEngine } from "./linear-regexp.js";

// ajv-formats is CommonJS; under NodeNext its default import is the module namespace's default.
const addFormats = addFormatsModule as unknown as (ajv: Ajv | Ajv2020) => void;

const DRAFT_07 = /^https?:\/\/json-schema\.org\/draft-0[467]\/schema#?$/;

const BASE_OPTIONS: Options = {
  // Annotations such as x-aliases / x-enum-fallback are not keywords ajv knows: allow them.
  strict: false,
  // Never fetch anything: remote $refs are refused before compile, and fail to resolve if they get here.
  // The schema is checked against its meta-schema by a shared instance (see createAjv), not per instance.
  validateSchema: false,
  allowUnionTypes: true,
  // Infinity and NaN are not JSON numbers: a huge literal such as 1e400 parses to Infinity and must not pass.
  strictNumbers: true,
  unicodeRegExp: true,
  // A schema's patterns run on RE2 (linear time), never on the backtracking RegExp; schemas without
  // patterns compile to the same code as before, so the hot path does not change.
  code: { regExp: linearRegExpEngine },
};

/** Options for `createAjv`. */
export interface AjvOptions {
  /** Collect every error (slower; use for reporting issues, not the hot path). */
  allErrors?: boolean;
}

function isDraft07(schema: JsonSchema): boolean {
  return isJsonObject(schema) && typeof schema.$schema === "string" && DRAFT_07.test(schema.$schema);
}

/**
 * structreg's own keyword: a string holding a lone UTF-16 surrogate fails it. The parser adds it to the
 * free-text strings of a schema (see core/parse/free-text.ts); it compiles to an inline
 * `isWellFormed()` call, O(1) for one-byte strings.
 */
export const WELL_FORMED_KEYWORD = "structregWellFormed";

function instanceFor(draft07: boolean, opts: Options): Ajv | Ajv2020 {
  const ajv = draft07 ? new Ajv(opts) : new Ajv2020(opts);
  addFormats(ajv);
  ajv.addKeyword({
    keyword: WELL_FORMED_KEYWORD,
    type: "string",
    schemaType: "boolean",
    error: { message: "must not hold a lone UTF-16 surrogate" },
    code(cxt) {
      if (cxt.schema === true) cxt.pass(_`${cxt.data}.isWellFormed()`);
    },
  });
  return ajv;
}

// PERFORMANCE: compiling a dialect's meta-schema costs 10–20 ms per ajv instance, more than most schemas.
// One shared instance per dialect checks schemas against it (validateSchema adds nothing to the instance, so
// schemas with the same $id never collide); each schema still compiles in an instance of its own.
const META_CHECKERS = new Map<boolean, Ajv | Ajv2020>();

/** Throws ajv's own "schema is invalid: …" error when `schema` breaks its dialect's meta-schema. */
export function assertValidSchema(schema: JsonSchema): void {
  const draft07 = isDraft07(schema);
  let checker = META_CHECKERS.get(draft07);
  if (checker === undefined) {
    checker = instanceFor(draft07, BASE_OPTIONS);
    META_CHECKERS.set(draft07, checker);
  }
  checker.validateSchema(schema as object | boolean, true);
}

/**
 * Creates an ajv instance for a schema's dialect (draft-07, and 04/06, when `$schema` says so, else 2020-12),
 * after checking the schema against that dialect's meta-schema (throws as ajv's compile would).
 */
export function createAjv(schema: JsonSchema, options: AjvOptions = {}): Ajv | Ajv2020 {
  assertValidSchema(schema);
  return instanceFor(isDraft07(schema), { ...BASE_OPTIONS, allErrors: options.allErrors ?? false });
}

/**
 * The form of a schema the local validator compiles. OpenAI's own guide writes nullable enums as
 * `{"type": ["string","null"], "enum": ["F","C"]}`, which standard JSON Schema reads as rejecting `null`;
 * the provider accepts `null` there, so the validator adds `null` to such enums. Input is not mutated.
 */
export function toValidationSchema(schema: JsonSchema): JsonSchema {
  return mapSchema(schema) as JsonSchema;
}

function mapSchema(node: JsonValue): JsonValue {
  if (Array.isArray(node)) return node.map(mapSchema);
  if (!isJsonObject(node)) return node;
  const out: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(node)) {
    // "enum" and "const" hold data, not subschemas: copy them as they are.
    setOwn(
      out,
      key,
      key === "enum" || key === "const" || key === "default" || key === "examples" ? value : mapSchema(value),
    );
  }
  const type = node.type;
  const nullable = type === "null" || (Array.isArray(type) && type.includes("null"));
  if (nullable && Array.isArray(node.enum) && !node.enum.includes(null)) {
    out.enum = [...node.enum, null];
  }
  return out;
}

/** Compiles a schema (in its validation form) into a validator. Throws ajv's error when it cannot compile. */
export function compileSchema(schema: JsonSchema, options: AjvOptions = {}): ValidateFunction {
  const ajv = createAjv(schema, options);
  return ajv.compile(toValidationSchema(schema) as object | boolean);
}

export type { ErrorObject, ValidateFunction };
