/** Route schemas of Confluent's /compatibility resource and structreg's dry-run check. */
import { ERROR_RESPONSES, SCHEMA_REQUEST, SUBJECT_PARAMS, VERSION_PARAMS } from "./common.js";

/** One offending difference, with the version it was found against and the direction. */
export const DIFFERENCE = {
  type: "object",
  required: ["kind", "path", "version", "direction"],
  additionalProperties: true,
  properties: {
    kind: { type: "string", description: "Confluent's difference type, e.g. TYPE_NARROWED." },
    path: { type: "string", description: "JSON Pointer into the schemas." },
    version: { type: "integer" },
    direction: { type: "string", enum: ["backward", "forward"] },
    fix: { type: "string" },
  },
} as const;

const VERBOSE_QUERY = {
  type: "object",
  properties: { verbose: { type: "boolean", description: "Add messages (and differences) to the answer." } },
} as const;

const COMPATIBILITY_ANSWER = {
  type: "object",
  required: ["is_compatible"],
  properties: {
    is_compatible: { type: "boolean" },
    messages: { type: "array", items: { type: "string" }, description: "Only with verbose=true." },
    differences: { type: "array", items: DIFFERENCE, description: "Only with verbose=true (extension)." },
  },
} as const;

const TAGS = ["compatibility"];

export const CHECK_AGAINST_VERSION = {
  tags: TAGS,
  summary: "Is a schema compatible with one version of a subject?",
  description: 'An unknown subject with version "latest" is compatible: there is nothing to compare.',
  params: VERSION_PARAMS,
  querystring: VERBOSE_QUERY,
  body: SCHEMA_REQUEST,
  response: { 200: COMPATIBILITY_ANSWER, ...ERROR_RESPONSES },
} as const;

export const CHECK_AGAINST_LEVEL = {
  tags: TAGS,
  summary: "Is a schema compatible with the versions the subject's level names?",
  params: SUBJECT_PARAMS,
  querystring: VERBOSE_QUERY,
  body: SCHEMA_REQUEST,
  response: { 200: COMPATIBILITY_ANSWER, ...ERROR_RESPONSES },
} as const;

/** Dry run of a registration: would it succeed, and what would happen (extension). */
export const CHECK = {
  tags: ["subjects"],
  summary: "Dry run of a registration: lint, safety and compatibility (extension)",
  params: SUBJECT_PARAMS,
  body: SCHEMA_REQUEST,
  response: {
    200: {
      type: "object",
      required: ["registrable", "fingerprint", "lint", "compatibility"],
      properties: {
        registrable: { type: "boolean" },
        existing: {
          type: "object",
          required: ["id", "version"],
          properties: { id: { type: "integer" }, version: { type: "integer" } },
        },
        fingerprint: { type: "string" },
        lint: {
          type: "array",
          items: {
            type: "object",
            required: ["code", "path", "message", "severity"],
            properties: {
              code: { type: "string" },
              path: { type: "string" },
              message: { type: "string" },
              severity: { type: "string", enum: ["error", "warning"] },
            },
          },
        },
        compatibility: {
          type: "object",
          required: ["isCompatible", "messages", "differences"],
          properties: {
            isCompatible: { type: "boolean" },
            messages: { type: "array", items: { type: "string" } },
            differences: { type: "array", items: DIFFERENCE },
          },
        },
        error: {
          type: "object",
          required: ["code", "message"],
          properties: { code: { type: "string" }, message: { type: "string" } },
        },
      },
    },
    ...ERROR_RESPONSES,
  },
} as const;
