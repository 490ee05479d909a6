/** Route schemas of one subject version (Confluent's /subjects/{s}/versions/{v} and extensions). */
import { VERSION_STATES } from "../../core/model.js";
import {
  DELETED_QUERY,
  ERROR_RESPONSES,
  PERMANENT_QUERY,
  RAW_SCHEMA,
  VERSION_PARAMS,
  VERSION_VIEW,
} from "./common.js";

const TAGS = ["versions"];

export const GET_VERSION = {
  tags: TAGS,
  summary: "Get a version of a subject",
  params: VERSION_PARAMS,
  querystring: DELETED_QUERY,
  response: { 200: VERSION_VIEW, ...ERROR_RESPONSES },
} as const;

export const GET_VERSION_SCHEMA = {
  tags: TAGS,
  summary: "Get the schema of a version, as registered (application/json)",
  params: VERSION_PARAMS,
  querystring: DELETED_QUERY,
  response: { 200: RAW_SCHEMA, ...ERROR_RESPONSES },
} as const;

export const GET_REFERENCED_BY = {
  tags: TAGS,
  summary: "Ids of the schemas whose live versions reference this version",
  params: VERSION_PARAMS,
  response: { 200: { type: "array", items: { type: "integer" } }, ...ERROR_RESPONSES },
} as const;

export const DELETE_VERSION = {
  tags: TAGS,
  summary: "Soft delete a version (or hard delete it after a soft delete)",
  params: VERSION_PARAMS,
  querystring: PERMANENT_QUERY,
  response: { 200: { type: "integer" }, ...ERROR_RESPONSES },
} as const;

export const GET_PROVIDER_SCHEMA = {
  tags: TAGS,
  summary: "Get the schema of a version as sent to the provider (extension, application/json)",
  params: VERSION_PARAMS,
  response: { 200: RAW_SCHEMA, ...ERROR_RESPONSES },
} as const;

export const SET_STATE = {
  tags: TAGS,
  summary: "Change the lifecycle state of a version (extension)",
  description: "DISABLED versions are skipped by latest and by compatibility checks.",
  params: VERSION_PARAMS,
  body: {
    type: "object",
    required: ["state"],
    properties: { state: { type: "string", enum: VERSION_STATES } },
  },
  response: { 200: VERSION_VIEW, ...ERROR_RESPONSES },
} as const;

/** An unknown state is SR_INVALID_STATE, not a generic bad request. */
export const STATE_FIELD_ERRORS = { "/state": "SR_INVALID_STATE" } as const;
