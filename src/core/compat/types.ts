/** A difference between two schemas, named after Confluent's JSON Schema difference taxonomy. */
export interface Difference {
  /** e.g. ENUM_ARRAY_EXTENDED, REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL, TYPE_NARROWED. */
  kind: string;
  /** JSON Pointer (into the schemas) where the difference was found, e.g. "/properties/status". */
  path: string;
}
