/**
 * Upgrading a value accepted by an older version to the target version's shape: missing properties that
 * the target gives a `default` are filled, properties the target does not declare are dropped where it
 * closes the object (`additionalProperties: false`), recursively through nested objects and arrays.
 * The input is never mutated; the caller re-validates the result against the target.
 */
import { isJsonObject, type JsonObject, type JsonSchema, setOwn } from "../../core/json.js";

/** Deeper than this the value is left as it is (re-validation then decides). */
const MAX_UPGRADE_DEPTH = 128;

/** Returns `value` reshaped to `schema` (see the module comment); `root` resolves local `$ref`s. */
export function upgradeValue(value: unknown, schema: JsonSchema, root: JsonSchema = schema): unknown {
  return upgradeAt(value, schema, root, 0);
}

function upgradeAt(value: unknown, schema: JsonSchema, root: JsonSchema, depth: number): unknown {
  if (depth > MAX_UPGRADE_DEPTH) return value;
  const node = branchFor(value, resolveRef(schema, root, depth), root, depth);
  if (node === undefined) return value;
  if (Array.isArray(value)) {
    const items = node.items;
    if (!isJsonObject(items)) return value;
    return value.map((item) => upgradeAt(item, items, root, depth + 1));
  }
  if (isJsonObject(value)) return upgradeObject(value, node, root, depth);
  return value;
}

function upgradeObject(value: JsonObject, node: JsonObject, root: JsonSchema, depth: number): JsonObject {
  const properties = isJsonObject(node.properties) ? node.properties : {};
  const closed = node.additionalProperties === false && node.patternProperties === undefined;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const sub = Object.hasOwn(properties, key) ? properties[key] : undefined;
    if (sub === undefined) {
      if (!closed) setOwn(out, key, value[key]);
      continue;
    }
    setOwn(out, key, upgradeAt(value[key], sub as JsonSchema, root, depth + 1));
  }
  for (const key of Object.keys(properties)) {
    const sub = properties[key];
    if (Object.hasOwn(value, key) || !isJsonObject(sub) || !Object.hasOwn(sub, "default")) continue;
    // A fresh copy per value: defaults are shared schema data and callers may mutate what they get.
    setOwn(out, key, structuredClone(sub.default));
  }
  return out as JsonObject;
}

/** The object/array schema that applies to `value`, looking through `$ref` and `anyOf`/`oneOf` unions. */
function branchFor(
  value: unknown,
  schema: JsonSchema,
  root: JsonSchema,
  depth: number,
): JsonObject | undefined {
  if (!isJsonObject(schema)) return undefined;
  const union = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : [];
  if (union.length === 0) return schema;
  for (const branch of union) {
    const resolved = resolveRef(branch as JsonSchema, root, depth);
    if (isJsonObject(resolved) && shapeMatches(value, resolved)) return resolved;
  }
  return undefined;
}

function shapeMatches(value: unknown, schema: JsonObject): boolean {
  const type = schema.type;
  const types = Array.isArray(type) ? type : [type];
  if (Array.isArray(value)) return types.includes("array") || schema.items !== undefined;
  if (isJsonObject(value)) return types.includes("object") || schema.properties !== undefined;
  return false;
}

/** Follows a local `$ref` (`#`, `#/$defs/x`, `#/definitions/x`); anything else is returned as is. */
function resolveRef(schema: JsonSchema, root: JsonSchema, depth: number): JsonSchema {
  let current = schema;
  for (let hops = 0; hops + depth <= MAX_UPGRADE_DEPTH; hops++) {
    if (!isJsonObject(current) || typeof current.$ref !== "string") return current;
    const target = pointerTarget(root, current.$ref);
    if (target === undefined) return current;
    current = target;
  }
  return current;
}

function pointerTarget(root: JsonSchema, ref: string): JsonSchema | undefined {
  if (ref === "#") return root;
  if (!ref.startsWith("#/")) return undefined;
  let cur: unknown = root;
  for (const raw of ref.slice(2).split("/")) {
    const seg = decodeSegment(raw);
    if (!isJsonObject(cur) || !Object.hasOwn(cur, seg)) return undefined;
    cur = cur[seg];
  }
  return isJsonObject(cur) || typeof cur === "boolean" ? cur : undefined;
}

function decodeSegment(raw: string): string {
  let text = raw;
  try {
    text = decodeURIComponent(raw);
  } catch {
    // A malformed %-escape is read literally (the schema compiled, so ajv read it the same way or not at all).
  }
  return text.replace(/~1/g, "/").replace(/~0/g, "~");
}
