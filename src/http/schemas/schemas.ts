/** Route schemas of Confluent's /schemas resource (schemas by global id). */
import { DELETED_QUERY, ERROR_RESPONSES, RAW_SCHEMA, REFERENCES, SCHEMA_ID_PARAMS } from "./common.js";

const TAGS = ["schemas"];

export const GET_TYPES = {
  tags: TAGS,
  summary: "Supported schema types",
  response: { 200: { type: "array", items: { type: "string" } }, ...ERROR_RESPONSES },
} as const;

export const GET_BY_ID = {
  tags: TAGS,
  summary: "Get a schema by its global id",
  params: SCHEMA_ID_PARAMS,
  response: {
    200: {
      type: "object",
      required: ["schema", "schemaType", "fingerprint"],
      properties: {
        schema: { type: "string" },
        schemaType: { type: "string", enum: ["JSON"] },
        references: REFERENCES,
        fingerprint: { type: "string", description: "Extension." },
      },
    },
    ...ERROR_RESPONSES,
  },
} as const;

export const GET_RAW_BY_ID = {
  tags: TAGS,
  summary: "Get a schema by its global id, as registered (application/json)",
  params: SCHEMA_ID_PARAMS,
  response: { 200: RAW_SCHEMA, ...ERROR_RESPONSES },
} as const;

export const GET_VERSIONS_BY_ID = {
  tags: TAGS,
  summary: "Subject versions using a schema id",
  params: SCHEMA_ID_PARAMS,
  querystring: DELETED_QUERY,
  response: {
    200: {
      type: "array",
      items: {
        type: "object",
        required: ["subject", "version"],
        properties: { subject: { type: "string" }, version: { type: "integer" } },
      },
    },
    ...ERROR_RESPONSES,
  },
} as const;

export const GET_SUBJECTS_BY_ID = {
  tags: TAGS,
  summary: "Subjects using a schema id",
  params: SCHEMA_ID_PARAMS,
  querystring: DELETED_QUERY,
  response: { 200: { type: "array", items: { type: "string" } }, ...ERROR_RESPONSES },
} as const;
