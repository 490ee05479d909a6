/**
 * Compiling a coercion plan (coerce-plan.ts runs it): one plan node per resolved schema node. A `$ref`
 * target is compiled once and its plan shared by every place that references it, so compiling is linear
 * in the schema even when definitions reference each other many times over; recursion is left to the
 * generic pass.
 */
import { isJsonObject, type JsonObject, type JsonSchema, type JsonValue } from "../json.js";
import { budgetFor, isSchemaTooComplex, type WorkBudget } from "../work-budget.js";
import { COERCERS, type Coercer } from "./coerce.js";
import { combinedBranches, itemSchemas, resolveSchema, typesOf } from "./schema-nav.js";

/** A compiled schema node; `null` for an unconstrained child (never coerced). */
export type PlanNode = LeafPlan | ObjectPlan | ArrayPlan | NullablePlan;
export type Child = PlanNode | null;

export interface LeafPlan {
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

export interface ObjectPlan {
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

export interface ArrayPlan {
  kind: "array";
  schema: JsonObject;
  tuple: Child[];
  /** Items past the tuple; undefined when they are not walked. */
  rest: Child | undefined;
}

export interface NullablePlan {
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

/** One bit per JSON type of a value (coerce-plan.ts' typeBitOf gives a value's bit). */
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

function compileArray(node: JsonObject, child: (s: JsonValue | undefined) => Child): ArrayPlan {
  const { tuple, rest } = itemSchemas(node);
  return {
    kind: "array",
    schema: node,
    tuple: tuple.map(child),
    rest: rest === undefined ? undefined : child(rest),
  };
}

/** Only `anyOf`/`oneOf` of one schema and null-only branches (see coerce-plan.ts' module comment). */
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
