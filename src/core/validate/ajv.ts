import { Ajv, type ErrorObject, type Options, type ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { isJsonObject, type JsonSchema, type JsonValue, setOwn } from "../json.js";

// ajv-formats is CommonJS; under NodeNext its default import is the module namespace's default.
const addFormats = addFormatsModule as unknown as (ajv: Ajv | Ajv2020) => void;

const DRAFT_07 = /^https?:\/\/json-schema\.org\/draft-0[467]\/schema#?$/;

const BASE_OPTIONS: Options = {
  // Annotations such as x-aliases / x-enum-fallback are not keywords ajv knows: allow them.
  strict: false,
  // Never fetch anything: remote $refs are refused before compile, and fail to resolve if they get here.
  validateSchema: true,
  allowUnionTypes: true,
  // Infinity and NaN are not JSON numbers: a huge literal such as 1e400 parses to Infinity and must not pass.
  strictNumbers: true,
  unicodeRegExp: true,
};

/** Options for `createAjv`. */
export interface AjvOptions {
  /** Collect every error (slower; use for reporting issues, not the hot path). */
  allErrors?: boolean;
}

/** Creates an ajv instance for a schema's dialect: draft-07 (and 04/06) when `$schema` says so, else 2020-12. */
export function createAjv(schema: JsonSchema, options: AjvOptions = {}): Ajv | Ajv2020 {
  const opts: Options = { ...BASE_OPTIONS, allErrors: options.allErrors ?? false };
  const dialect = isJsonObject(schema) && typeof schema.$schema === "string" ? schema.$schema : "";
  const ajv = DRAFT_07.test(dialect) ? new Ajv(opts) : new Ajv2020(opts);
  addFormats(ajv);
  return ajv;
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
