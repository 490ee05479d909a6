/**
 * A coercion walk compiled once per schema, for the tolerant track's common case (OpenAI-style schemas:
 * objects, arrays, scalars, enums, the `anyOf [X, {type: null}]` idiom, local non-recursive `$ref`s).
 * Compiling (coerce-plan-compile.ts) expands each `$ref` target once, so it is linear in the schema.
 *
 * PERFORMANCE: the generic pass (coerce.ts) needs the all-errors validator to know which paths to walk
 * (`dirty`), then pays a `$ref` resolution, a plan lookup, a path string and a set lookup per node. This
 * walk visits every node but decides with precomputed tables (property maps, enum member sets, type
 * lists) that a node needs nothing, and hands any node that does need a repair to the generic
 * `coerceValue` (with `dirty` undefined), so every repair still comes from the coercers in COERCERS.
 *
 * Why skipping the `dirty` set changes nothing: on these schemas a coercer only changes a value the
 * schema rejects at that path (wrong type, off-enum string, disallowed key, missing required property),
 * and the all-errors validator reports each such rejection at that path, so the generic pass walks it
 * too; a value the schema accepts comes back unchanged from both. The `anyOf`/`oneOf` branches are
 * limited to the null idiom because ajv stops reporting a branch's errors once another branch passes.
 * Nesting is bounded by the schema (within `maxDepth`), so `CoercionTooDeep` cannot be raised here
 * where the generic pass would not raise it.
 */
import { isJsonObject, type JsonObject, setOwn } from "../json.js";
import { type CoerceContext, coerceValue } from "./coerce.js";
import type { ArrayPlan, Child, LeafPlan, ObjectPlan, PlanNode } from "./coerce-plan-compile.js";
import { pointerJoin } from "./repairs.js";

export { compileCoercePlan, type PlanNode } from "./coerce-plan-compile.js";

/** The TYPE_BITS bit of a value's JSON type (jsonTypeOf's answer as a bit); 128 for non-JSON values. */
function typeBitOf(value: unknown): number {
  switch (typeof value) {
    case "string":
      return 16;
    case "boolean":
      return 2;
    case "number":
      return Number.isInteger(value) ? 4 : 8;
    case "object":
      return value === null ? 1 : Array.isArray(value) ? 32 : 64;
    default:
      return 128;
  }
}

/**
 * Coerces `value` along `plan` with `ctx.dirty` undefined; returns the same result and records the
 * same repairs, in the same order, as the generic pass over the dirty paths would.
 */
export function coerceWithPlan(value: unknown, plan: PlanNode, ctx: CoerceContext): unknown {
  return walk(value, plan, "", ctx, 0);
}

function walk(value: unknown, plan: PlanNode, path: string, ctx: CoerceContext, depth: number): unknown {
  switch (plan.kind) {
    case "leaf":
      return leafAccepts(plan, value) ? value : coerceLeaf(value, plan, path, ctx, depth);
    case "object":
      return walkObject(value, plan, path, ctx, depth);
    case "array":
      if (!Array.isArray(value)) {
        return value === null ? value : coerceValue(value, plan.schema, path, ctx, depth);
      }
      return walkArray(value, plan, path, ctx, depth);
    case "nullable":
      return value === null ? value : walk(value, plan.inner, path, ctx, depth + 1);
  }
}

/**
 * What `coerceValue` does for a leaf, minus what the plan already settled: the depth is within maxDepth,
 * `dirty` is undefined and the schema is resolved.
 */
function coerceLeaf(value: unknown, plan: LeafPlan, path: string, ctx: CoerceContext, depth: number) {
  let out = value;
  for (const coercer of plan.coercers) out = coercer.coerce(out, plan.schema, path, ctx, depth);
  return out;
}

/** True when `value` needs nothing: decided before building the child's path (most children). */
function isSettled(sub: Child, value: unknown): boolean {
  return sub === null || (sub.kind === "leaf" && leafAccepts(sub, value));
}

function leafAccepts(plan: LeafPlan, value: unknown): boolean {
  const mask = plan.typeMask;
  if (mask !== undefined && value !== undefined && (mask & typeBitOf(value)) === 0) return false;
  return plan.members === undefined || typeof value !== "string" || plan.members.has(value);
}

function walkObject(value: unknown, plan: ObjectPlan, path: string, ctx: CoerceContext, depth: number) {
  if (!isJsonObject(value)) return value;
  const keys = Object.keys(value);
  const inOrder = inSchemaOrder(keys, plan.order);
  // A key to drop or a required property to fill is the object coercer's own job: hand it the object.
  if (!inOrder && needsObjectCoercer(value, keys, plan)) {
    return coerceValue(value, plan.schema, path, ctx, depth);
  }
  let out: Record<string, unknown> | undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    let sub: Child;
    if (inOrder) sub = plan.orderSubs[i] as Child;
    else {
      const prop = plan.props.get(key);
      sub = (prop === undefined ? plan.rest : prop.sub) as Child;
    }
    const v = value[key];
    if (isSettled(sub, v)) continue;
    const coerced = walk(v, sub!, pointerJoin(path, key), ctx, depth + 1);
    if (coerced === v) continue;
    // PERFORMANCE: a spread copy (same keys, same order) instead of the object coercer's key-by-key
    // build; the result is the same plain object.
    out ??= { ...value };
    setOwn(out, key, coerced);
  }
  return out ?? value;
}

/** True when `keys` are exactly the plan's property names, in schema order. */
function inSchemaOrder(keys: readonly string[], order: readonly string[] | undefined): boolean {
  if (order === undefined || keys.length !== order.length) return false;
  for (let i = 0; i < keys.length; i++) if (keys[i] !== order[i]) return false;
  return true;
}

function needsObjectCoercer(value: JsonObject, keys: string[], plan: ObjectPlan): boolean {
  let required = 0;
  for (const key of keys) {
    const prop = plan.props.get(key);
    if (prop === undefined ? plan.rest === false : prop.sub === false) return true;
    if (prop?.required === true) required++;
  }
  if (required !== plan.requiredListed) return true;
  return plan.requiredUnlisted.some((key) => !Object.hasOwn(value, key));
}

function walkArray(items: unknown[], plan: ArrayPlan, path: string, ctx: CoerceContext, depth: number) {
  let out: unknown[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const sub = i < plan.tuple.length ? plan.tuple[i] : plan.rest;
    if (sub === undefined) continue;
    const item = items[i];
    if (isSettled(sub, item)) continue;
    const coerced = walk(item, sub!, pointerJoin(path, i), ctx, depth + 1);
    if (coerced === item) continue;
    out ??= items.slice();
    out[i] = coerced;
  }
  return out ?? items;
}
