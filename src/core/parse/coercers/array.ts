/** Arrays: a lone value where an array is expected becomes a one-element array; items are coerced. */
import type { JsonObject } from "../../json.js";
import type { CoerceContext, Coercer } from "../coerce.js";
import { addRepair, pointerJoin } from "../repairs.js";
import { itemSchemas, jsonTypeOf, typeAccepts, typesOf } from "../schema-nav.js";

/** Wraps lone values (never `null`: null for a non-nullable array is not repaired) and walks the items. */
export const arrayCoercer: Coercer = {
  family: "array",
  applies: (schema) => typesOf(schema)?.includes("array") === true,
  coerce(value, schema, path, ctx, depth) {
    if (!Array.isArray(value)) {
      const types = typesOf(schema) ?? [];
      if (value === undefined || value === null || typeAccepts(types, jsonTypeOf(value))) return value;
      addRepair(ctx.repairs, { kind: "wrapped_in_array", path });
      // Validation never saw the value as an item: walk all of it.
      const dirty = ctx.dirty;
      ctx.dirty = undefined;
      try {
        return walkItems([value], schema, path, ctx, depth, true);
      } finally {
        ctx.dirty = dirty;
      }
    }
    return walkItems(value, schema, path, ctx, depth, false);
  },
};

function walkItems(
  items: unknown[],
  schema: JsonObject,
  path: string,
  ctx: CoerceContext,
  depth: number,
  fresh: boolean,
): unknown[] {
  const { tuple, rest } = itemSchemas(schema);
  // Copy on write: an array whose items all stay the same is returned as it is.
  let out: unknown[] | undefined = fresh ? items : undefined;
  for (let i = 0; i < items.length; i++) {
    const itemSchema = i < tuple.length ? tuple[i] : rest;
    if (itemSchema === undefined) continue;
    const item = items[i];
    const coerced = ctx.recurse(item, itemSchema, pointerJoin(path, i), ctx, depth + 1);
    if (coerced === item) continue;
    out ??= items.slice();
    out[i] = coerced;
  }
  return out ?? items;
}
