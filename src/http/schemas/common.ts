/** Wire shapes shared by several resources (route JSON Schemas, `as const`). */

/** Error answers: Confluent's two fields first, structreg's extension fields after. */
export const ERROR_BODY = {
  type: "object",
  required: ["error_code", "message", "code"],
  properties: {
    error_code: { type: "integer", description: "Confluent-compatible numeric code, e.g. 40401." },
    message: { type: "string" },
    code: { type: "string", description: "structreg's stable error code (SR_…)." },
    hint: { type: "string", description: "What to do next, when known." },
    details: { type: "object", additionalProperties: true, description: "Typed parameters of the error." },
  },
} as const;

/** Error responses every route may give. */
export const ERROR_RESPONSES = { "4xx": ERROR_BODY, "5xx": ERROR_BODY } as const;

/** Every route's subject: a name that cannot exist is refused (SR_INVALID_SUBJECT_NAME) before any store call. */
const SUBJECT = {
  type: "string",
  pattern: "^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$",
  description: "Subject name, ^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$.",
} as const;
const VERSION = {
  type: "string",
  description: 'A version number 1..2^31-1, "latest" or -1 (latest).',
} as const;

export const SUBJECT_PARAMS = {
  type: "object",
  required: ["subject"],
  properties: { subject: SUBJECT },
} as const;

export const VERSION_PARAMS = {
  type: "object",
  required: ["subject", "version"],
  properties: { subject: SUBJECT, version: VERSION },
} as const;

export const SCHEMA_ID_PARAMS = {
  type: "object",
  required: ["id"],
  properties: { id: { type: "string", description: "Global schema id, a positive integer." } },
} as const;

export const DELETED_QUERY = {
  type: "object",
  properties: { deleted: { type: "boolean", description: "Include soft-deleted entries." } },
} as const;

export const PERMANENT_QUERY = {
  type: "object",
  properties: { permanent: { type: "boolean", description: "Hard delete (only after a soft delete)." } },
} as const;

/** One schema reference, Confluent's `{name, subject, version}`. */
export const REFERENCE = {
  type: "object",
  required: ["name", "subject", "version"],
  properties: {
    name: { type: "string", description: "The $ref target the schema uses for the referenced document." },
    subject: { type: "string" },
    version: { type: "integer", description: "An exact version, or -1 for the latest (stored resolved)." },
  },
} as const;

/** A schema's references as answered: present only when there are some (Confluent omits an empty list). */
export const REFERENCES = { type: "array", items: REFERENCE } as const;

/** Register, lookup, compatibility and check bodies: the schema as JSON text. */
export const SCHEMA_REQUEST = {
  type: "object",
  required: ["schema"],
  properties: {
    schema: { type: "string", description: "The JSON Schema as JSON text." },
    schemaType: { type: "string", description: 'Only "JSON" is supported (the default).' },
    references: {
      type: "array",
      maxItems: 1000,
      items: REFERENCE,
      description:
        "Schema references: each `name` is a $ref target the schema uses (e.g. money.json, or money.json#/$defs/Amount into it); version -1 is the latest at registration.",
    },
  },
} as const;

/** Confluent answers 42201 when `schema` is missing or not a string. */
export const SCHEMA_FIELD_ERRORS = { "/schema": "SR_INVALID_SCHEMA" } as const;

/** A version as the registry shows it (Confluent's fields first, structreg's extensions after). */
export const VERSION_VIEW = {
  type: "object",
  required: [
    "subject",
    "version",
    "id",
    "schemaType",
    "schema",
    "fingerprint",
    "state",
    "deleted",
    "createdAt",
  ],
  properties: {
    subject: { type: "string" },
    version: { type: "integer" },
    id: { type: "integer" },
    schemaType: { type: "string", enum: ["JSON"] },
    schema: { type: "string", description: "Canonical JSON text of the schema." },
    references: REFERENCES,
    fingerprint: { type: "string", description: "sha256 hex of the canonical JSON text (extension)." },
    state: { type: "string", enum: ["ENABLED", "DEPRECATED", "DISABLED"], description: "Extension." },
    deleted: { type: "boolean", description: "Soft-deleted (extension)." },
    createdAt: { type: "string", description: "ISO-8601 timestamp (extension)." },
  },
} as const;

/** Any JSON value: a raw schema as registered. */
export const RAW_SCHEMA = {
  description: "The schema itself (application/json).",
} as const;
