/**
 * A coercion walk compiled once per schema, for the tolerant track's common case (OpenAI-style schemas:
 * objects, arrays, scalars, enums, the `anyOf [X, {type: null}]` idiom, local non-recursive `$ref`s).
 * A `$ref` target is compiled once and its plan shared by every place that references it, so compiling
 * is linear in the schema even when definitions reference each other many times over.
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
import { isJsonObject, type JsonObject, type JsonSchema, type JsonValue, setOwn } from "../json.js";
import { budgetFor, isSchemaTooComplex, type WorkBudget } from "../work-budget.js";
import { COERCERS, type CoerceContext, type Coercer, coerceValue } from "./coerce.js";
import { pointerJoin } from "./repairs.js";
import { combinedBranches, itemSchemas, resolveSchema, typesOf } from "./schema-nav.js";

/** A compiled schema node; `null` for an unconstrained child (never coerced). */
export type PlanNode = LeafPlan | ObjectPlan | ArrayPlan | NullablePlan;
type Child = PlanNode | null;

interface LeafPlan {
  kind: "leaf";
  schema: JsonObject;
  /** The coercers that apply (scalar, enum), in COERCERS order: what `coerceValue` would run. */
  coercers: readonly Coercer[];
  /**
   * The scalar coercer's types as a TYPE_BITS mask, when it applies: a value of an accepted type is left
   * as it is. PERFORMANCE: one `&` instead of naming the value's type and searching a list.
   */
  typeMask: number | undefined;
  /** The enum coercer's members, when it applies: a member (or a non-string) is left as it is. */
  members: Set<JsonValue> | undefined;
}

interface ObjectPlan {
  kind: "object";
  schema: JsonObject;
  /** Own properties; `false` marks a property the schema forbids (the object coercer drops it). */
  props: Map<string, Prop>;
  /** Unlisted keys: `false` when dropped (`additionalProperties: false`), else their child plan. */
  rest: Child | false;
  /** How many distinct `required` names are listed in `props`. */
  requiredListed: number;
  /** Required names not listed in `props` (rare), checked one by one. */
  requiredUnlisted: string[];
  /**
   * The property names in schema order, when an object holding exactly these keys in this order needs no
   * object coercer (no forbidden property, no unlisted required name); `orderSubs` are their plans.
   * PERFORMANCE: model output follows the schema's key order, so most objects take this path: one string
   * comparison per key instead of two map lookups.
   */
  order: readonly string[] | undefined;
  orderSubs: readonly Child[];
}

interface Prop {
  sub: Child | false;
  required: boolean;
}

interface ArrayPlan {
  kind: "array";
  schema: JsonObject;
  tuple: Child[];
  /** Items past the tuple; undefined when they are not walked. */
  rest: Child | undefined;
}

interface NullablePlan {
  kind: "nullable";
  inner: PlanNode;
}

/** Thrown while compiling when a node is outside the supported subset. */
class Unsupported {}
const UNSUPPORTED = new Unsupported();

/** A compiled node and its height: how many levels below it the deepest child schema sits. */
interface Compiled {
  plan: Child;
  height: number;
}

/** State of one compilation: each resolved node is compiled once (the plan is a DAG), refs followed once. */
interface Compilation {
  root: JsonSchema;
  maxDepth: number;
  active: Set<JsonObject>;
  compiled: Map<JsonObject, Compiled>;
  budget: WorkBudget;
}

const UNCONSTRAINED: Compiled = { plan: null, height: 0 };

/**
 * Compiles `root`, or returns undefined when the schema needs the generic pass. Linear: a `$ref` target
 * is compiled once and its plan shared. Past the budget (or the stack) the answer is undefined too: the
 * generic pass is directed by the value, so its cost never depends on how the schema's refs multiply.
 */
export function compileCoercePlan(
  root: JsonSchema,
  maxDepth: number,
  budget?: WorkBudget | number,
): PlanNode | undefined {
  const compilation: Compilation = {
    root,
    maxDepth,
    active: new Set(),
    compiled: new Map(),
    budget: budgetFor("coercion plan", budget),
  };
  try {
    return compileNode(root as JsonValue, compilation, 0).plan ?? undefined;
  } catch (err) {
    if (err === UNSUPPORTED || isSchemaTooComplex(err) || err instanceof RangeError) return undefined;
    throw err;
  }
}

function compileNode(raw: JsonValue | undefined, c: Compilation, depth: number): Compiled {
  // The generic pass checks the depth of every child it has a schema for, even `true`.
  if (raw !== undefined && depth > c.maxDepth) throw UNSUPPORTED;
  c.budget.charge();
  if (!isJsonObject(raw)) return UNCONSTRAINED;
  const node = resolveSchema(raw, c.root);
  // Unresolvable refs and recursion are left to the generic pass.
  if (node === undefined || c.active.has(node)) throw UNSUPPORTED;
  const known = c.compiled.get(node);
  if (known !== undefined) {
    // Met again at another depth: its deepest child must still be within maxDepth from here.
    if (depth + known.height > c.maxDepth) throw UNSUPPORTED;
    return known;
  }
  c.budget.expand(node);
  c.active.add(node);
  let compiled: Compiled;
  try {
    compiled = compileResolved(node, c, depth);
  } finally {
    c.active.delete(node);
  }
  c.compiled.set(node, compiled);
  return compiled;
}

function compileResolved(node: JsonObject, c: Compilation, depth: number): Compiled {
  const coercers = COERCERS.filter((co) => co.applies(node));
  const families = coercers.map((co) => co.family);
  const only = families.length === 1 ? families[0] : undefined;
  let height = 0;
  const child = (s: JsonValue | undefined): Child => {
    const sub = compileNode(s, c, depth + 1);
    if (s !== undefined) height = Math.max(height, 1 + sub.height);
    return sub.plan;
  };
  const plan = planOf(node, coercers, families, only, child);
  return { plan, height };
}

function planOf(
  node: JsonObject,
  coercers: readonly Coercer[],
  families: readonly string[],
  only: string | undefined,
  child: (s: JsonValue | undefined) => Child,
): PlanNode {
  if (only === "object") return compileObject(node, child);
  if (only === "array") return compileArray(node, child);
  if (only === "combined") return compileNullable(node, child);
  if (families.every((f) => f === "scalar" || f === "enum")) {
    const members = Array.isArray(node.enum) ? node.enum : [node.const ?? null];
    const types = families.includes("scalar") ? typesOf(node) : undefined;
    return {
      kind: "leaf",
      schema: node,
      coercers,
      typeMask: types === undefined ? undefined : typeMaskOf(types),
      members: families.includes("enum") ? new Set(members) : undefined,
    };
  }
  throw UNSUPPORTED;
}

function compileObject(node: JsonObject, child: (s: JsonValue | undefined) => Child): ObjectPlan {
  if (isJsonObject(node.patternProperties)) throw UNSUPPORTED;
  const required = new Set(Array.isArray(node.required) ? node.required : []);
  const props = new Map<string, Prop>();
  if (isJsonObject(node.properties)) {
    for (const [key, sub] of Object.entries(node.properties)) {
      props.set(key, { sub: sub === false ? false : child(sub), required: required.has(key) });
    }
  }
  const additional = node.additionalProperties;
  const rest = additional === false ? false : isJsonObject(additional) ? child(additional) : null;
  const names = [...required].filter((k): k is string => typeof k === "string");
  const requiredUnlisted = names.filter((k) => !props.has(k));
  const requiredListed = names.length - requiredUnlisted.length;
  const clean = requiredUnlisted.length === 0 && [...props.values()].every((p) => p.sub !== false);
  return {
    kind: "object",
    schema: node,
    props,
    rest,
    requiredListed,
    requiredUnlisted,
    order: clean ? [...props.keys()] : undefined,
    orderSubs: clean ? [...props.values()].map((p) => p.sub as Child) : [],
  };
}

/** One bit per JSON type of a value (see typeBitOf). */
const TYPE_BITS: Readonly<Record<string, number>> = {
  null: 1,
  boolean: 2,
  integer: 4,
  number: 8,
  string: 16,
  array: 32,
  object: 64,
};

/** The mask of `types` ("number" accepts integers too, as typeAccepts says). */
function typeMaskOf(types: readonly string[]): number {
  let mask = 0;
  for (const t of types) mask |= Object.hasOwn(TYPE_BITS, t) ? (TYPE_BITS[t] as number) : 0;
  if ((mask & TYPE_BITS.number!) !== 0) mask |= TYPE_BITS.integer!;
  return mask;
}

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

function compileArray(node: JsonObject, child: (s: JsonValue | undefined) => Child): ArrayPlan {
  const { tuple, rest } = itemSchemas(node);
  return {
    kind: "array",
    schema: node,
    tuple: tuple.map(child),
    rest: rest === undefined ? undefined : child(rest),
  };
}

/** Only `anyOf`/`oneOf` of one schema and null-only branches (see the module comment). */
function compileNullable(node: JsonObject, child: (s: JsonValue | undefined) => Child): NullablePlan {
  const branches = combinedBranches(node) ?? [];
  const nonNull = branches.filter((b) => !isNullOnlyBranch(b));
  const inner = nonNull.length === 1 && nonNull.length < branches.length ? child(nonNull[0]) : null;
  if (inner === null || branches.some((b) => !isJsonObject(b))) throw UNSUPPORTED;
  return { kind: "nullable", inner };
}

function isNullOnlyBranch(b: JsonValue): boolean {
  if (!isJsonObject(b) || b.$ref !== undefined) return false;
  const types = typesOf(b);
  return types !== undefined && types.length === 1 && types[0] === "null";
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
