/** structreg's public library API (named exports only). */

export {
  type CompatibilityDifference,
  type CompatibilityInput,
  type CompatibilityResult,
  checkCompatibility,
} from "./core/compat/check.js";
export { type CompareOptions, compareSchemas, type SchemaComparison } from "./core/compat/compare.js";
export { FIXES } from "./core/compat/fixes.js";
export { COMPATIBLE_CHANGES_LENIENT, COMPATIBLE_CHANGES_STRICT } from "./core/compat/kinds.js";
export type { Difference } from "./core/compat/types.js";
export { ERROR_CODES, type ErrorCode, isStructregError, StructregError } from "./core/errors.js";
export type { JsonObject, JsonSchema, JsonValue } from "./core/json.js";
export * from "./core/model.js";
export { compileSchema, toValidationSchema } from "./core/validate/ajv.js";
