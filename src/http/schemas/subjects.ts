/** Route schemas of the subjects resource (Confluent's /subjects). */
import {
  DELETED_QUERY,
  ERROR_RESPONSES,
  PERMANENT_QUERY,
  SCHEMA_FIELD_ERRORS,
  SCHEMA_REQUEST,
  SUBJECT_PARAMS,
  VERSION_VIEW,
} from "./common.js";

const TAGS = ["subjects"];

export const LIST_SUBJECTS = {
  tags: TAGS,
  summary: "List subjects",
  querystring: DELETED_QUERY,
  response: { 200: { type: "array", items: { type: "string" } }, ...ERROR_RESPONSES },
} as const;

export const LIST_VERSIONS = {
  tags: TAGS,
  summary: "List the version numbers of a subject",
  params: SUBJECT_PARAMS,
  querystring: DELETED_QUERY,
  response: { 200: { type: "array", items: { type: "integer" } }, ...ERROR_RESPONSES },
} as const;

/** Register bodies: a schema request plus IMPORT mode's explicit id and version (Confluent's fields). */
const REGISTER_REQUEST = {
  ...SCHEMA_REQUEST,
  properties: {
    ...SCHEMA_REQUEST.properties,
    id: {
      type: "integer",
      minimum: -1,
      maximum: 2147483647,
      description: "IMPORT mode only: store under exactly this global id (-1 or absent: assigned).",
    },
    version: {
      type: "integer",
      minimum: -1,
      maximum: 2147483647,
      description: "IMPORT mode only: store at exactly this version (-1, 0 or absent: the next one).",
    },
  },
} as const;

/** Register answers 42201 for a bad schema field and 42202 for a bad version, as Confluent. */
export const REGISTER_FIELD_ERRORS = { ...SCHEMA_FIELD_ERRORS, "/version": "SR_INVALID_VERSION" } as const;

export const REGISTER = {
  tags: TAGS,
  summary: "Register a schema under a subject (idempotent)",
  description:
    "Answers the schema's global id. Extension fields: the version, whether this call created it, and the fingerprint. Incompatible schemas answer 409 with every offending difference in details.",
  params: SUBJECT_PARAMS,
  body: REGISTER_REQUEST,
  response: {
    200: {
      type: "object",
      required: ["id", "version", "created", "fingerprint"],
      properties: {
        id: { type: "integer" },
        version: { type: "integer", description: "Extension." },
        created: {
          type: "boolean",
          description: "False when the schema was already registered (extension).",
        },
        fingerprint: { type: "string", description: "Extension." },
      },
    },
    ...ERROR_RESPONSES,
  },
} as const;

export const LOOKUP = {
  tags: TAGS,
  summary: "Find the version of a subject holding a schema",
  params: SUBJECT_PARAMS,
  querystring: DELETED_QUERY,
  body: SCHEMA_REQUEST,
  response: { 200: VERSION_VIEW, ...ERROR_RESPONSES },
} as const;

export const DELETE_SUBJECT = {
  tags: TAGS,
  summary: "Soft delete a subject (or hard delete it after a soft delete)",
  params: SUBJECT_PARAMS,
  querystring: PERMANENT_QUERY,
  response: { 200: { type: "array", items: { type: "integer" } }, ...ERROR_RESPONSES },
} as const;
