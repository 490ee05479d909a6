/**
 * Objects: properties are coerced against their schemas, unknown keys are dropped where
 * `additionalProperties` is `false`, and a missing required property whose schema allows `null` becomes
 * `null` (unless the output was truncated). A changed object is a new one built with `setOwn`.
 */
import { isJsonObject, type JsonObject, type JsonValue, setOwn } from "../../json.js";
import { testPattern } from "../../validate/linear-regexp.js";
import type { CoerceContext, Coercer } from "../coerce.js";
import { addRepair, pointerJoin, repairOf } from "../repairs.js";
import { allowsNull, ownSchema, typesOf } from "../schema-nav.js";

/** Coerces each property, drops disallowed keys and fills nullable required ones. */
export const objectCoercer: Coercer = {
  family: "object",
  applies: (schema) => {
    const types = typesOf(schema);
    return types === undefined ? isJsonObject(schema.properties) : types.includes("object");
  },
  coerce(value, schema, path, ctx, depth) {
    if (!isJsonObject(value)) return value;
    // Copy on write: an object none of whose members change is returned as it is (no allocation).
    const keys = Object.keys(value);
    let out: Record<string, unknown> | undefined;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const propSchema = schemaForKey(schema, key);
      if (propSchema === false) {
        addRepair(ctx.repairs, repairOf("dropped_unknown_key", pointerJoin(path, key), key));
        out ??= copyKeys(value, keys, i);
        continue;
      }
      const v = value[key];
      const coerced =
        propSchema === undefined ? v : ctx.recurse(v, propSchema, pointerJoin(path, key), ctx, depth + 1);
      if (out !== undefined) setOwn(out, key, coerced);
      else if (coerced !== v) {
        out = copyKeys(value, keys, i);
        setOwn(out, key, coerced);
      }
    }
    if (ctx.fillNulls) out = fillNullable(out, value, schema, path, ctx);
    return out ?? value;
  },
};

/** The schema a key's value must match; `false` when the key is not allowed; undefined when unconstrained. */
function schemaForKey(schema: JsonObject, key: string): JsonValue | false | undefined {
  const own = ownSchema(schema.properties, key);
  if (own !== undefined) return own;
  const patterns = schema.patternProperties;
  if (isJsonObject(patterns)) {
    for (const [pattern, sub] of Object.entries(patterns)) {
      // RE2 (linear time): the key comes from model output, the pattern from the schema.
      if (testPattern(pattern, key)) return sub;
    }
  }
  const additional = schema.additionalProperties;
  if (additional === false) return false;
  return isJsonObject(additional) ? additional : undefined;
}

/** A new object with the first `count` of `keys` copied from `value`. */
function copyKeys(value: Record<string, unknown>, keys: string[], count: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) setOwn(out, keys[i]!, value[keys[i]!]);
  return out;
}

function fillNullable(
  out: Record<string, unknown> | undefined,
  value: Record<string, unknown>,
  schema: JsonObject,
  path: string,
  ctx: CoerceContext,
): Record<string, unknown> | undefined {
  if (!Array.isArray(schema.required)) return out;
  for (const key of schema.required) {
    if (typeof key !== "string" || Object.hasOwn(out ?? value, key)) continue;
    if (!allowsNull(ownSchema(schema.properties, key), ctx.root)) continue;
    out ??= copyKeys(value, Object.keys(value), Object.keys(value).length);
    setOwn(out, key, null);
    addRepair(ctx.repairs, repairOf("null_for_missing", pointerJoin(path, key), undefined, null));
  }
  return out;
}
