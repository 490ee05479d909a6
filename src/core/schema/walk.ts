import { isJsonObject, type JsonObject, type JsonSchema, type JsonValue } from "../json.js";
import { escapePointer, slotKindOf } from "./keywords.js";

/** One subschema of a document, found by a keyword-aware walk. */
export interface SchemaNode {
  /** The subschema (an object or a boolean schema). */
  schema: JsonSchema;
  /** JSON Pointer of the subschema in the document ("" for the root). */
  path: string;
  /** Keyword the subschema hangs under ("" for the root), e.g. "properties", "items", "anyOf". */
  via: string;
  /** Index of the parent node in the walk's result (-1 for the root). */
  parent: number;
  /** Object schemas on the path from the root, this one included. `$defs` count where they sit. */
  objectDepth: number;
}

/** True when a schema describes objects: its `type` says so, or it has `properties`. */
export function isObjectSchema(schema: JsonSchema): schema is JsonObject {
  return isJsonObject(schema) && (typesOf(schema).includes("object") || isJsonObject(schema.properties));
}

/** The types a schema's `type` keyword lists (empty when absent or malformed). */
export function typesOf(schema: JsonObject): string[] {
  const type = schema.type;
  if (typeof type === "string") return [type];
  if (Array.isArray(type)) return type.filter((t): t is string => typeof t === "string");
  return [];
}

/**
 * Every subschema of a document in document order (pre-order), the root first. Data keywords (enum,
 * const, default, examples, unknown keywords) are not entered. Iterative, so depth cannot overflow the stack.
 */
export function collectSubschemas(root: JsonSchema): SchemaNode[] {
  const nodes: SchemaNode[] = [];
  const stack: SchemaNode[] = [
    { schema: root, path: "", via: "", parent: -1, objectDepth: isObjectSchema(root) ? 1 : 0 },
  ];
  while (stack.length > 0) {
    const node = stack.pop() as SchemaNode;
    nodes.push(node);
    if (!isJsonObject(node.schema)) continue;
    const children = childrenOf(node.schema, { ...node, parent: nodes.length - 1 });
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as SchemaNode);
  }
  return nodes;
}

/** Children of a schema object; `at` carries the parent's path, depth and index. */
function childrenOf(
  schema: JsonObject,
  at: { path: string; objectDepth: number; parent: number },
): SchemaNode[] {
  const { path, objectDepth, parent } = at;
  const children: SchemaNode[] = [];
  const add = (value: JsonValue, childPath: string, via: string): void => {
    if (typeof value !== "boolean" && !isJsonObject(value)) return;
    const depth = objectDepth + (isObjectSchema(value) ? 1 : 0);
    children.push({ schema: value, path: childPath, via, parent, objectDepth: depth });
  };
  for (const [key, value] of Object.entries(schema)) {
    const base = `${path}/${escapePointer(key)}`;
    const kind = slotKindOf(key, value);
    if (kind === "schema") add(value, base, key);
    else if (kind === "schema-array" && Array.isArray(value))
      value.forEach((v, i) => {
        add(v, `${base}/${i}`, key);
      });
    else if (kind === "schema-map" && isJsonObject(value)) {
      for (const [name, v] of Object.entries(value)) add(v, `${base}/${escapePointer(name)}`, key);
    }
  }
  return children;
}
