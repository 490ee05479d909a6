/**
 * Objects: properties are coerced against their schemas, unknown keys are dropped where
 * `additionalProperties` is `false`, and a missing required property whose schema allows `null` becomes
 * `null` (unless the output was truncated). The result is a new object built with `setOwn`.
 */
import { isJsonObject, type JsonObject, type JsonValue, setOwn } from "../../json.js";
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
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const child = pointerJoin(path, key);
      const propSchema = schemaForKey(schema, key);
      if (propSchema === false) {
        addRepair(ctx.repairs, repairOf("dropped_unknown_key", child, key));
        continue;
      }
      const v = value[key];
      setOwn(out, key, propSchema === undefined ? v : ctx.recurse(v, propSchema, child, depth + 1));
    }
    if (ctx.fillNulls) fillNullable(out, schema, path, ctx);
    return out;
  },
};

/** The schema a key's value must match; `false` when the key is not allowed; undefined when unconstrained. */
function schemaForKey(schema: JsonObject, key: string): JsonValue | false | undefined {
  const own = ownSchema(schema.properties, key);
  if (own !== undefined) return own;
  const patterns = schema.patternProperties;
  if (isJsonObject(patterns)) {
    for (const [pattern, sub] of Object.entries(patterns)) {
      if (safeTest(pattern, key)) return sub;
    }
  }
  const additional = schema.additionalProperties;
  if (additional === false) return false;
  return isJsonObject(additional) ? additional : undefined;
}

function safeTest(pattern: string, key: string): boolean {
  try {
    return new RegExp(pattern, "u").test(key);
  } catch {
    return false;
  }
}

function fillNullable(
  out: Record<string, unknown>,
  schema: JsonObject,
  path: string,
  ctx: CoerceContext,
): void {
  if (!Array.isArray(schema.required)) return;
  for (const key of schema.required) {
    if (typeof key !== "string" || Object.hasOwn(out, key)) continue;
    if (!allowsNull(ownSchema(schema.properties, key), ctx.root)) continue;
    setOwn(out, key, null);
    addRepair(ctx.repairs, repairOf("null_for_missing", pointerJoin(path, key), undefined, null));
  }
}
