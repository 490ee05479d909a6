import { StructregError } from "../core/errors.js";

/** What register, lookup, compatibility and check requests carry (see SCHEMA_REQUEST). */
export interface SchemaRequestBody {
  schema: string;
  schemaType?: string;
  references?: unknown[];
}

/**
 * Checks the parts of a schema request the registry does not see: references (unsupported, as the
 * schemas are self-contained) and the schema type (only JSON). Returns the registry's options.
 */
export function readSchemaRequest(body: SchemaRequestBody): { schemaType?: string } {
  if (body.references !== undefined && body.references.length > 0) {
    throw new StructregError("SR_INVALID_SCHEMA", "references are not supported", {
      hint: "inline referenced definitions under $defs and use local $refs",
    });
  }
  if (body.schemaType === undefined) return {};
  if (body.schemaType.toUpperCase() !== "JSON") {
    throw new StructregError(
      "SR_UNSUPPORTED_SCHEMA_TYPE",
      `Schema type ${body.schemaType.slice(0, 50)} is not supported`,
      { hint: 'send schemaType "JSON" or omit it' },
    );
  }
  return { schemaType: "JSON" };
}
