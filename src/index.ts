/** structreg's public library API (named exports only). */
export { ERROR_CODES, type ErrorCode, isStructregError, StructregError } from "./core/errors.js";
export type { JsonObject, JsonSchema, JsonValue } from "./core/json.js";
export * from "./core/model.js";
export { compileSchema, toValidationSchema } from "./core/validate/ajv.js";
