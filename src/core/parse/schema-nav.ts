/** Reading a JSON Schema for coercion: local `$ref`s, the types a node allows, and whether it allows null. */
import { isJsonObject, type JsonObject, type JsonSchema, type JsonValue } from "../json.js";

const MAX_REF_HOPS = 32;

/** Follows local `$ref`s (`#`, `#/$defs/…`, `#/definitions/…`) to a schema object; undefined when unresolvable. */
export function resolveSchema(schema: JsonValue | undefined, root: JsonSchema): JsonObject | undefined {
  let node = schema;
  for (let hops = 0; hops < MAX_REF_HOPS; hops++) {
    if (!isJsonObject(node)) return undefined;
    const ref = node.$ref;
    if (typeof ref !== "string") return node;
    node = resolvePointer(root, ref);
  }
  return undefined;
}

function resolvePointer(root: JsonSchema, ref: string): JsonValue | undefined {
  if (!ref.startsWith("#")) return undefined;
  let cur: JsonValue | undefined = root;
  const body = ref.slice(1);
  if (body === "") return cur;
  if (!body.startsWith("/")) return undefined;
  for (const raw of body.slice(1).split("/")) {
    const seg = decodeSegment(raw);
    if (Array.isArray(cur)) cur = cur[Number(seg)];
    else if (isJsonObject(cur) && Object.hasOwn(cur, seg)) cur = cur[seg];
    else return undefined;
  }
  return cur;
}

function decodeSegment(raw: string): string {
  let s = raw;
  try {
    s = decodeURIComponent(raw);
  } catch {
    // A malformed %-escape is read literally; ajv would have rejected such a $ref at compile time anyway.
  }
  return s.replace(/~1/g, "/").replace(/~0/g, "~");
}

/** The `type` keyword as a list, or undefined when the schema does not constrain the type. */
export function typesOf(schema: JsonObject): readonly string[] | undefined {
  const t = schema.type;
  if (typeof t === "string") return [t];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === "string");
  return undefined;
}

/** The JSON type name of a value as `type` spells it ("integer" for whole numbers). */
export function jsonTypeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** True when `types` accepts a value of JSON type `actual` ("integer" is also a "number"). */
export function typeAccepts(types: readonly string[], actual: string): boolean {
  return types.includes(actual) || (actual === "integer" && types.includes("number"));
}

/** True when the schema explicitly allows null: by `type`, `enum`/`const`, or an `anyOf`/`oneOf` branch. */
export function allowsNull(schema: JsonValue | undefined, root: JsonSchema): boolean {
  const s = resolveSchema(schema, root);
  if (s === undefined) return false;
  const types = typesOf(s);
  if (types?.includes("null")) return true;
  if (Array.isArray(s.enum) && s.enum.includes(null)) return true;
  if (Object.hasOwn(s, "const") && s.const === null) return true;
  const branches = combinedBranches(s);
  return branches?.some((b) => allowsNullShallow(resolveSchema(b, root))) === true;
}

function allowsNullShallow(s: JsonObject | undefined): boolean {
  return (
    s !== undefined &&
    (typesOf(s)?.includes("null") === true || (Object.hasOwn(s, "const") && s.const === null))
  );
}

/** The branches of `anyOf` or `oneOf`, if the schema has either. */
export function combinedBranches(schema: JsonObject): JsonValue[] | undefined {
  if (Array.isArray(schema.anyOf)) return schema.anyOf;
  if (Array.isArray(schema.oneOf)) return schema.oneOf;
  return undefined;
}

/**
 * The item schemas of an array schema: positional ones (`prefixItems`, or draft-07 tuple `items`) and the
 * one for items past them (`items` as a schema, or draft-07 `additionalItems`), if any.
 */
export function itemSchemas(schema: JsonObject): { tuple: JsonValue[]; rest: JsonObject | undefined } {
  const tuple = Array.isArray(schema.prefixItems)
    ? schema.prefixItems
    : Array.isArray(schema.items)
      ? schema.items
      : [];
  const rest = isJsonObject(schema.items)
    ? schema.items
    : isJsonObject(schema.additionalItems)
      ? schema.additionalItems
      : undefined;
  return { tuple, rest };
}

/** Reads an own property of a schema object (never the prototype: `constructor` is a valid property name). */
export function ownSchema(map: JsonValue | undefined, key: string): JsonValue | undefined {
  return isJsonObject(map) && Object.hasOwn(map, key) ? map[key] : undefined;
}
