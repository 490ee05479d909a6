/** Scalars: exact conversions only (a string that is exactly a JSON number, "true"/"false", a number as text). */
import type { Coercer } from "../coerce.js";
import { addRepair, repairOf } from "../repairs.js";
import { jsonTypeOf, typeAccepts, typesOf } from "../schema-nav.js";

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const BOOLEAN = /^(?:true|false)$/i;
const SCALARS = ["string", "number", "integer", "boolean"];

/** Converts a scalar of the wrong type when the conversion is exact; anything else is left to fail. */
export const scalarCoercer: Coercer = {
  family: "scalar",
  applies: (schema) => typesOf(schema)?.some((t) => SCALARS.includes(t)) === true,
  coerce(value, schema, path, ctx) {
    const types = typesOf(schema) ?? [];
    if (value === undefined || typeAccepts(types, jsonTypeOf(value))) return value;
    const converted = convert(value, types);
    if (converted === undefined) return value;
    addRepair(ctx.repairs, repairOf(converted.kind, path, value, converted.value));
    return converted.value;
  },
};

type Conversion = {
  kind: "number_from_string" | "boolean_from_string" | "string_from_number";
  value: unknown;
};

function convert(value: unknown, types: readonly string[]): Conversion | undefined {
  if (typeof value === "string") {
    if ((types.includes("number") || types.includes("integer")) && JSON_NUMBER.test(value)) {
      const n = Number(value);
      const fits = types.includes("number") ? Number.isFinite(n) : Number.isSafeInteger(n);
      return fits ? { kind: "number_from_string", value: n } : undefined;
    }
    if (types.includes("boolean") && BOOLEAN.test(value)) {
      return { kind: "boolean_from_string", value: value.toLowerCase() === "true" };
    }
    return undefined;
  }
  if (typeof value === "number" && Number.isFinite(value) && types.includes("string")) {
    return { kind: "string_from_number", value: String(value) };
  }
  return undefined;
}
