/**
 * The `text.format` of a Responses API request for a registry schema: `json_schema`, strict, with the
 * schema in its provider form. OpenAI restricts `name` to `^[a-zA-Z0-9_-]{1,64}$`; subject names may be
 * longer and hold dots, so the name is derived (and the version appended, so logs on OpenAI's side say
 * which version was asked for).
 */
import type { JsonObject, JsonSchema } from "../core/json.js";

/** The Responses API `text.format` for Structured Outputs. */
export interface JsonSchemaTextFormat {
  type: "json_schema";
  name: string;
  /** An object, as the SDK's type wants (a registered boolean schema is written as its object form). */
  schema: JsonObject;
  strict: true;
  description?: string;
}

const NAME_LIMIT = 64;

/** OpenAI's format name for a subject version: invalid characters become `_`, cut to 64 characters. */
export function formatName(subject: string, version: number): string {
  const suffix = `_v${version}`;
  const base = subject.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, NAME_LIMIT - suffix.length);
  return `${base}${suffix}`;
}

/** Builds the strict `json_schema` text format from a provider-form schema. */
export function buildTextFormat(
  subject: string,
  version: number,
  providerSchema: JsonSchema,
): JsonSchemaTextFormat {
  const schema = typeof providerSchema === "boolean" ? (providerSchema ? {} : { not: {} }) : providerSchema;
  return { type: "json_schema", name: formatName(subject, version), schema, strict: true };
}
