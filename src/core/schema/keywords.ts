import type { JsonValue } from "../json.js";

/**
 * What a keyword's value is, so walkers can tell subschemas from data: a property NAMED "default" under
 * `properties` is a subschema, while the `default` keyword itself is data.
 * - `schema`: one subschema; `schema-map`: an object whose values are subschemas;
 * - `schema-array`: an array of subschemas; `data`: a value that is never a schema (enum, const, …).
 */
export type SlotKind = "schema" | "schema-map" | "schema-array" | "data";

const SCHEMA_KEYWORDS: ReadonlySet<string> = new Set([
  "additionalProperties",
  "additionalItems",
  "unevaluatedProperties",
  "unevaluatedItems",
  "propertyNames",
  "contains",
  "not",
  "if",
  "then",
  "else",
  "contentSchema",
]);

const SCHEMA_MAP_KEYWORDS: ReadonlySet<string> = new Set([
  "properties",
  "patternProperties",
  "$defs",
  "definitions",
  "dependentSchemas",
  // draft-07: values are schemas or arrays of property names; a non-object value is treated as data.
  "dependencies",
]);

const SCHEMA_ARRAY_KEYWORDS: ReadonlySet<string> = new Set(["anyOf", "oneOf", "allOf", "prefixItems"]);

/** The kind of value `keyword` holds in a schema object (unknown keywords hold data). */
export function slotKindOf(keyword: string, value: JsonValue): SlotKind {
  // `items` is one schema in 2020-12 and may be an array of schemas (tuple form) in draft-07.
  if (keyword === "items") return Array.isArray(value) ? "schema-array" : "schema";
  if (SCHEMA_KEYWORDS.has(keyword)) return "schema";
  if (SCHEMA_MAP_KEYWORDS.has(keyword)) return "schema-map";
  if (SCHEMA_ARRAY_KEYWORDS.has(keyword)) return "schema-array";
  return "data";
}

/** Escapes one JSON Pointer reference token (RFC 6901). */
export function escapePointer(token: string): string {
  return token.replaceAll("~", "~0").replaceAll("/", "~1");
}
