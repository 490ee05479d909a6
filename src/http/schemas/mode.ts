/** Route schemas of Confluent's /mode resource (READWRITE, READONLY, READONLY_OVERRIDE, IMPORT). */
import { REGISTRY_MODES } from "../../core/model.js";
import { ERROR_RESPONSES, SUBJECT_PARAMS } from "./common.js";

const TAGS = ["mode"];

/** Answers name the mode in upper case. */
const MODE_VIEW = {
  type: "object",
  required: ["mode"],
  properties: { mode: { type: "string", enum: REGISTRY_MODES } },
} as const;

/** Any case is accepted, as in Confluent; an unknown name is SR_INVALID_MODE (42204). */
const MODE_UPDATE = {
  type: "object",
  required: ["mode"],
  properties: {
    mode: { type: "string", maxLength: 64, description: "READWRITE, READONLY, READONLY_OVERRIDE or IMPORT." },
  },
} as const;

/** A missing or non-string mode is Confluent's invalid mode, not a generic bad request. */
export const MODE_FIELD_ERRORS = { "/mode": "SR_INVALID_MODE" } as const;

const FORCE_QUERY = {
  type: "object",
  properties: {
    force: {
      type: "boolean",
      description: "Enter IMPORT even though the registry (or subject) has live versions.",
    },
  },
} as const;

export const GET_GLOBAL_MODE = {
  tags: TAGS,
  summary: "Get the global mode (READWRITE unless set)",
  response: { 200: MODE_VIEW, ...ERROR_RESPONSES },
} as const;

export const PUT_GLOBAL_MODE = {
  tags: TAGS,
  summary: "Set the global mode",
  description:
    "IMPORT is refused (42205) while any subject has a live version, unless force=true. Mode changes are allowed in every mode.",
  querystring: FORCE_QUERY,
  body: MODE_UPDATE,
  response: { 200: MODE_VIEW, ...ERROR_RESPONSES },
} as const;

export const GET_SUBJECT_MODE = {
  tags: TAGS,
  summary: "Get a subject's mode",
  description: "Without defaultToGlobal=true, a subject without a mode of its own answers 40409.",
  params: SUBJECT_PARAMS,
  querystring: { type: "object", properties: { defaultToGlobal: { type: "boolean" } } },
  response: { 200: MODE_VIEW, ...ERROR_RESPONSES },
} as const;

export const PUT_SUBJECT_MODE = {
  tags: TAGS,
  summary: "Set a subject's mode",
  description: "IMPORT is refused (42205) while the subject has a live version, unless force=true.",
  params: SUBJECT_PARAMS,
  querystring: FORCE_QUERY,
  body: MODE_UPDATE,
  response: { 200: MODE_VIEW, ...ERROR_RESPONSES },
} as const;

export const DELETE_SUBJECT_MODE = {
  tags: TAGS,
  summary: "Remove a subject's own mode (it falls back to the global one); answers the mode removed",
  description: "A subject without a mode of its own answers 40401, as in Confluent.",
  params: SUBJECT_PARAMS,
  response: { 200: MODE_VIEW, ...ERROR_RESPONSES },
} as const;
