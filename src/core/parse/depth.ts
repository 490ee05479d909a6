/**
 * Nesting depth. The strict track does not measure depth when the schema itself bounds it (every
 * object closed, every array typed, no recursion: OpenAI strict schemas), since deeper data fails
 * validation anyway. Otherwise accepted data is checked iteratively, so a 100,000-level value is never
 * handed to callers whose JSON.stringify would overflow on it.
 */
import { isJsonObject, type JsonObject, type JsonSchema, type JsonValue } from "../json.js";
import { budgetFor, isSchemaTooComplex, type WorkBudget } from "../work-budget.js";
import { resolveSchema, typesOf } from "./schema-nav.js";

const SCALAR_TYPES = new Set(["string", "number", "integer", "boolean", "null"]);

/** What one walk shares: each resolved node's bound (computed once), the nodes on the stack, the budget. */
interface Walk {
  root: JsonSchema;
  bounds: Map<JsonObject, number>;
  active: Set<JsonObject>;
  budget: WorkBudget;
}

/**
 * The deepest nesting a value valid under `schema` can have (Infinity when unbounded). Linear: each
 * `$ref` target's bound is computed once and reused, recursion counts as unbounded. A walk past its
 * budget (a number is a limit; a WorkBudget is used as is) or the stack also answers Infinity: the
 * safe answer (the parser then measures each value), so even a schema stored before walks were bounded
 * costs a depth check per value, never a hang.
 */
export function schemaDepthBound(schema: JsonSchema, budget?: WorkBudget | number): number {
  const walk: Walk = {
    root: schema,
    bounds: new Map(),
    active: new Set(),
    budget: budgetFor("schema depth bound", budget),
  };
  try {
    return boundOf(schema as JsonValue, walk);
  } catch (err) {
    if (isSchemaTooComplex(err) || err instanceof RangeError) return Number.POSITIVE_INFINITY;
    throw err;
  }
}

function boundOf(node: JsonValue | undefined, walk: Walk): number {
  walk.budget.charge();
  if (node === false) return 0;
  const s = resolveSchema(node, walk.root);
  if (s === undefined || walk.active.has(s)) return Number.POSITIVE_INFINITY;
  // Memoising is exact: a node whose walk met a node on the stack lies on a cycle, so it is unbounded
  // whichever way it is reached.
  const known = walk.bounds.get(s);
  if (known !== undefined) return known;
  walk.budget.expand(s);
  walk.active.add(s);
  let bound: number;
  try {
    bound = boundOfNode(s, walk);
  } finally {
    walk.active.delete(s);
  }
  walk.bounds.set(s, bound);
  return bound;
}

function boundOfNode(s: JsonObject, walk: Walk): number {
  if (Array.isArray(s.enum)) return maxOf(s.enum, valueDepthOf);
  if (Object.hasOwn(s, "const")) return valueDepthOf(s.const ?? null);
  const branches = [s.anyOf, s.oneOf].find(Array.isArray);
  if (branches !== undefined) return maxOf(branches, (b) => boundOf(b, walk));
  const types = typesOf(s);
  if (types === undefined) return Number.POSITIVE_INFINITY;
  let bound = 0;
  if (types.includes("object")) bound = Math.max(bound, objectBound(s, walk));
  if (types.includes("array")) bound = Math.max(bound, arrayBound(s, walk));
  return types.every((t) => SCALAR_TYPES.has(t) || t === "object" || t === "array")
    ? bound
    : Number.POSITIVE_INFINITY;
}

function objectBound(s: JsonObject, walk: Walk): number {
  if (s.additionalProperties !== false || s.patternProperties !== undefined) return Number.POSITIVE_INFINITY;
  const props = isJsonObject(s.properties) ? Object.values(s.properties) : [];
  return 1 + maxOf(props, (p) => boundOf(p, walk));
}

function arrayBound(s: JsonObject, walk: Walk): number {
  const tuple = Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? s.items : [];
  const rest = Array.isArray(s.items) ? (s.additionalItems ?? true) : (s.items ?? true);
  const all = [...tuple, rest];
  return 1 + maxOf(all, (p) => (p === true ? Number.POSITIVE_INFINITY : boundOf(p, walk)));
}

/** The largest `f(item)`, 0 for none (a loop: spreading a 100,000-member enum into Math.max overflows). */
function maxOf<T>(items: readonly T[], f: (item: T) => number): number {
  let max = 0;
  for (const item of items) {
    const v = f(item);
    if (v > max) max = v;
  }
  return max;
}

function valueDepthOf(value: JsonValue): number {
  if (Array.isArray(value)) return 1 + maxOf(value, valueDepthOf);
  if (isJsonObject(value)) return 1 + maxOf(Object.values(value), valueDepthOf);
  return 0;
}

/** True when brackets in JSON `text` nest deeper than `limit` (strings skipped). One pass, no allocation. */
export function textNestingExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** True when a value nests deeper than `limit`. Iterative. */
export function valueNestingExceeds(value: unknown, limit: number): boolean {
  const stack: Array<{ v: unknown; d: number }> = [{ v: value, d: 0 }];
  while (stack.length > 0) {
    const { v, d } = stack.pop()!;
    if (typeof v !== "object" || v === null) continue;
    if (d + 1 > limit) return true;
    const children = Array.isArray(v) ? v : Object.values(v);
    for (const child of children) stack.push({ v: child, d: d + 1 });
  }
  return false;
}
