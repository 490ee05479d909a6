import { StructregError } from "../core/errors.js";
import type { SchemaReference } from "../core/schema/references.js";

/** What register, lookup, compatibility and check requests carry (see SCHEMA_REQUEST). */
export interface SchemaRequestBody {
  schema: string;
  schemaType?: string;
  references?: SchemaReference[];
}

/**
 * The registry's options from the parts of a schema request beside the schema: its references (checked and
 * resolved by the registry) and the schema type (only JSON).
 */
export function readSchemaRequest(body: SchemaRequestBody): {
  schemaType?: string;
  references?: SchemaReference[];
} {
  const references =
    body.references !== undefined && body.references.length > 0 ? body.references : undefined;
  const options = references === undefined ? {} : { references };
  if (body.schemaType === undefined) return options;
  if (body.schemaType.toUpperCase() !== "JSON") {
    throw new StructregError(
      "SR_UNSUPPORTED_SCHEMA_TYPE",
      `Schema type ${body.schemaType.slice(0, 50)} is not supported`,
      { hint: 'send schemaType "JSON" or omit it' },
    );
  }
  return { ...options, schemaType: "JSON" };
}
