/** Compiles the validators a parser needs: a fast one for the hot path and, lazily, an all-errors one. */
import { StructregError } from "../errors.js";
import { isJsonObject, type JsonSchema, type JsonValue } from "../json.js";
import {
  createAjv,
  toValidationSchema,
  type ValidateFunction,
  WELL_FORMED_KEYWORD,
} from "../validate/ajv.js";
import { checksStringsInline, isFreeTextString } from "./free-text.js";

/** The validators of one schema. */
export interface Validators {
  /** Stops at the first error: the strict track and re-validation use it. */
  fast: ValidateFunction;
  /** Collects every error (compiled on first use): only needed to report issues. */
  full: () => ValidateFunction;
  /**
   * True when the validators reject a lone UTF-16 surrogate in every string a valid value can hold (see
   * free-text.ts); false when the parser must screen the text itself.
   */
  checksStrings: boolean;
}

const DATA_KEYWORDS = new Set(["enum", "const", "default", "examples"]);

/**
 * Adds the safe-integer range to every integer schema. `JSON.parse` silently rounds integers beyond
 * 2^53, so 9007199254740993 would otherwise validate as a different number; a bound costs two
 * comparisons on the hot path, where a walk over the parsed value would cost a pass over the output.
 * With `checkStrings`, every free-text string schema (a string type without enum/const) also gets
 * WELL_FORMED_KEYWORD. Mutates `node`, which must be a fresh copy (as returned by toValidationSchema).
 */
export function hardenSchema(node: JsonValue, checkStrings = false): void {
  if (Array.isArray(node)) {
    for (const item of node) hardenSchema(item, checkStrings);
    return;
  }
  if (!isJsonObject(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (!DATA_KEYWORDS.has(key) && !key.startsWith("x-")) hardenSchema(value, checkStrings);
  }
  if (checkStrings && isFreeTextString(node)) node[WELL_FORMED_KEYWORD] = true;
  const t = node.type;
  if (t === "integer" || (Array.isArray(t) && t.includes("integer"))) {
    const max = node.maximum;
    const min = node.minimum;
    if (typeof max !== "number" || max > Number.MAX_SAFE_INTEGER) node.maximum = Number.MAX_SAFE_INTEGER;
    if (typeof min !== "number" || min < -Number.MAX_SAFE_INTEGER) node.minimum = -Number.MAX_SAFE_INTEGER;
  }
}

function compile(schema: JsonSchema, allErrors: boolean, checkStrings: boolean): ValidateFunction {
  const form = toValidationSchema(schema);
  hardenSchema(form, checkStrings);
  try {
    // createAjv checks the schema against its meta-schema (throws) and sets strictNumbers: NaN and
    // Infinity (e.g. from 1e400) never pass as numbers.
    const ajv = createAjv(schema, { allErrors });
    return ajv.compile(form as object | boolean);
  } catch (err) {
    const message = `schema does not compile: ${err instanceof Error ? err.message : String(err)}`;
    throw new StructregError("SR_INVALID_SCHEMA", message, { cause: err });
  }
}

/** Compiles the fast validator now and the all-errors one on first use; SR_INVALID_SCHEMA when it cannot. */
export function compileValidators(schema: JsonSchema, maxSchemaWork?: number): Validators {
  const checksStrings = checksStringsInline(schema, maxSchemaWork);
  const fast = compile(schema, false, checksStrings);
  let full: ValidateFunction | undefined;
  return {
    fast,
    full: () => {
      full ??= compile(schema, true, checksStrings);
      return full;
    },
    checksStrings,
  };
}
