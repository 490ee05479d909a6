/**
 * Nesting depth. The strict track does not measure depth when the schema itself bounds it (every
 * object closed, every array typed, no recursion: OpenAI strict schemas), since deeper data fails
 * validation anyway. Otherwise accepted data is checked iteratively, so a 100,000-level value is never
 * handed to callers whose JSON.stringify would overflow on it.
 */
import { isJsonObject, type JsonSchema, type JsonValue } from "../json.js";
import { resolveSchema, typesOf } from "./schema-nav.js";

const SCALAR_TYPES = new Set(["string", "number", "integer", "boolean", "null"]);

/** The deepest nesting a value valid under `schema` can have (Infinity when unbounded). */
export function schemaDepthBound(schema: JsonSchema): number {
  return boundOf(schema as JsonValue, schema, new Set());
}

function boundOf(node: JsonValue | undefined, root: JsonSchema, active: Set<object>): number {
  if (node === false) return 0;
  const s = resolveSchema(node, root);
  if (s === undefined || active.has(s)) return Number.POSITIVE_INFINITY;
  active.add(s);
  try {
    return boundOfNode(s, root, active);
  } finally {
    active.delete(s);
  }
}

function boundOfNode(s: Record<string, JsonValue>, root: JsonSchema, active: Set<object>): number {
  if (Array.isArray(s.enum)) return Math.max(0, ...s.enum.map(valueDepthOf));
  if (Object.hasOwn(s, "const")) return valueDepthOf(s.const ?? null);
  const branches = [s.anyOf, s.oneOf].find(Array.isArray);
  if (branches !== undefined) return Math.max(0, ...branches.map((b) => boundOf(b, root, active)));
  const types = typesOf(s);
  if (types === undefined) return Number.POSITIVE_INFINITY;
  let bound = 0;
  if (types.includes("object")) bound = Math.max(bound, objectBound(s, root, active));
  if (types.includes("array")) bound = Math.max(bound, arrayBound(s, root, active));
  return types.every((t) => SCALAR_TYPES.has(t) || t === "object" || t === "array")
    ? bound
    : Number.POSITIVE_INFINITY;
}

function objectBound(s: Record<string, JsonValue>, root: JsonSchema, active: Set<object>): number {
  if (s.additionalProperties !== false || s.patternProperties !== undefined) return Number.POSITIVE_INFINITY;
  const props = isJsonObject(s.properties) ? Object.values(s.properties) : [];
  return 1 + Math.max(0, ...props.map((p) => boundOf(p, root, active)));
}

function arrayBound(s: Record<string, JsonValue>, root: JsonSchema, active: Set<object>): number {
  const tuple = Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? s.items : [];
  const rest = Array.isArray(s.items) ? (s.additionalItems ?? true) : (s.items ?? true);
  const all = [...tuple, rest];
  return (
    1 + Math.max(0, ...all.map((p) => (p === true ? Number.POSITIVE_INFINITY : boundOf(p, root, active))))
  );
}

function valueDepthOf(value: JsonValue): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(valueDepthOf));
  if (isJsonObject(value)) return 1 + Math.max(0, ...Object.values(value).map(valueDepthOf));
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
