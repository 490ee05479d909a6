/**
 * What to do about an offending difference, keyed by kind, phrased for the usual (backward) reading:
 * "the new schema" is the one being registered. Kinds without an entry get no fix.
 */
export const FIXES: Readonly<Record<string, string>> = {
  TYPE_CHANGED: "keep the original type, or register the change under a new subject",
  TYPE_NARROWED: "keep accepting the wider type (number rather than integer)",
  SCHEMA_ADDED: "leave the keyword out, or make it accept everything the old schema accepted",
  REFERENCE_UNRESOLVED: "point $ref at a definition inside the same document ($defs/definitions)",
  MAX_LENGTH_ADDED: "drop the new maxLength, or make it large enough for existing data",
  MAX_LENGTH_DECREASED: "keep maxLength at least as large as before",
  MIN_LENGTH_ADDED: "drop the new minLength",
  MIN_LENGTH_INCREASED: "keep minLength no larger than before",
  PATTERN_ADDED: "drop the new pattern",
  PATTERN_CHANGED: "keep the original pattern (any edit counts as a change)",
  MAXIMUM_ADDED: "drop the new maximum",
  MAXIMUM_DECREASED: "keep maximum at least as large as before",
  MINIMUM_ADDED: "drop the new minimum",
  MINIMUM_INCREASED: "keep minimum no larger than before",
  EXCLUSIVE_MAXIMUM_ADDED: "drop the new exclusiveMaximum",
  EXCLUSIVE_MAXIMUM_DECREASED: "keep exclusiveMaximum at least as large as before",
  EXCLUSIVE_MINIMUM_ADDED: "drop the new exclusiveMinimum",
  EXCLUSIVE_MINIMUM_INCREASED: "keep exclusiveMinimum no larger than before",
  MULTIPLE_OF_ADDED: "drop the new multipleOf",
  MULTIPLE_OF_EXPANDED: "use a divisor of the old multipleOf, or keep it",
  MULTIPLE_OF_CHANGED: "use a divisor of the old multipleOf, or keep it",
  REQUIRED_ATTRIBUTE_ADDED: "give the newly required property a default, or keep it optional",
  REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL:
    "give the new required property a default, or make it optional",
  REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL:
    "give the new required property a default and make it optional, or close the old schema (additionalProperties: false) first",
  OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL:
    "old data may hold any value under that name: use policy LENIENT, or close the schema (additionalProperties: false) first",
  REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL:
    "old data may hold any value under that name: use policy LENIENT, or close the schema first",
  PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL:
    "close the schema (additionalProperties: false) before adding properties",
  PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL:
    "keep the property (it may be deprecated in its description), or open the content model",
  PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL:
    "give the new property a schema compatible with additionalProperties/patternProperties",
  PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL:
    "keep the property, or make additionalProperties/patternProperties accept its values",
  ADDITIONAL_PROPERTIES_REMOVED: "keep additionalProperties as it was (or use policy LENIENT)",
  ADDITIONAL_PROPERTIES_NARROWED: "keep additionalProperties as it was (or use policy LENIENT)",
  UNEVALUATED_PROPERTIES_REMOVED: "keep unevaluatedProperties as it was (or use policy LENIENT)",
  UNEVALUATED_PROPERTIES_NARROWED: "keep unevaluatedProperties as it was (or use policy LENIENT)",
  DEPENDENCY_ARRAY_ADDED: "drop the new dependency",
  DEPENDENCY_ARRAY_EXTENDED: "keep the dependency list as it was",
  DEPENDENCY_ARRAY_CHANGED: "keep the dependency list as it was",
  DEPENDENCY_SCHEMA_ADDED: "drop the new dependent schema",
  MAX_PROPERTIES_ADDED: "drop the new maxProperties",
  MAX_PROPERTIES_DECREASED: "keep maxProperties at least as large as before",
  MIN_PROPERTIES_ADDED: "drop the new minProperties",
  MIN_PROPERTIES_INCREASED: "keep minProperties no larger than before",
  MAX_ITEMS_ADDED: "drop the new maxItems",
  MAX_ITEMS_DECREASED: "keep maxItems at least as large as before",
  MIN_ITEMS_ADDED: "drop the new minItems",
  MIN_ITEMS_INCREASED: "keep minItems no larger than before",
  UNIQUE_ITEMS_ADDED: "drop uniqueItems",
  ADDITIONAL_ITEMS_REMOVED: "keep allowing additional items",
  ADDITIONAL_ITEMS_NARROWED: "keep allowing any additional item",
  ITEM_ADDED_TO_OPEN_CONTENT_MODEL: "close the tuple (no additional items) before adding positions",
  ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL: "keep the tuple position, or allow additional items",
  ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL:
    "give the new position a schema compatible with the additional items",
  ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL:
    "keep the tuple position, or widen the additional items schema",
  ENUM_ARRAY_NARROWED: "keep the removed enum values",
  ENUM_ARRAY_CHANGED: "keep every old enum value (adding values is fine)",
  COMBINED_TYPE_CHANGED: "keep the same allOf/anyOf/oneOf keyword (anyOf accepts the most)",
  COMBINED_TYPE_SUBSCHEMAS_CHANGED:
    "keep every old subschema (or an equivalent); for a string enum, keep the removed enum values",
  PRODUCT_TYPE_EXTENDED: "do not add members to allOf",
  SUM_TYPE_NARROWED: "keep every old anyOf/oneOf branch",
  NOT_TYPE_EXTENDED: "do not widen what `not` excludes",
};
