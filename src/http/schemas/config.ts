/** Route schemas of Confluent's /config resource, with structreg's policy and profile. */
import { COMPATIBILITY_LEVELS, COMPATIBILITY_POLICIES, PROFILES } from "../../core/model.js";
import { ERROR_RESPONSES, SUBJECT_PARAMS } from "./common.js";

const LEVEL = { type: "string", enum: COMPATIBILITY_LEVELS } as const;
const POLICY = {
  type: "string",
  enum: COMPATIBILITY_POLICIES,
  description: "Which differences a level allows (extension).",
} as const;
const PROFILE = {
  type: "string",
  enum: PROFILES,
  description: "Provider lint profile (extension).",
} as const;

/** GET and DELETE answers. */
const CONFIG_VIEW = {
  type: "object",
  required: ["compatibilityLevel", "policy", "profile"],
  properties: { compatibilityLevel: LEVEL, policy: POLICY, profile: PROFILE },
} as const;

/** PUT bodies and answers: any subset of the three fields. */
const CONFIG_UPDATE = {
  type: "object",
  properties: { compatibility: LEVEL, policy: POLICY, profile: PROFILE },
} as const;

/** An unknown value is its own typed error (Confluent answers 42203 for a level), not a generic 400. */
export const CONFIG_FIELD_ERRORS = {
  "/compatibility": "SR_INVALID_COMPATIBILITY_LEVEL",
  "/policy": "SR_INVALID_POLICY",
  "/profile": "SR_INVALID_PROFILE",
} as const;

const TAGS = ["config"];
const UPDATE_ANSWER = { ...CONFIG_UPDATE, required: ["compatibility", "policy", "profile"] } as const;

export const GET_GLOBAL_CONFIG = {
  tags: TAGS,
  summary: "Get the global config",
  response: { 200: CONFIG_VIEW, ...ERROR_RESPONSES },
} as const;

export const PUT_GLOBAL_CONFIG = {
  tags: TAGS,
  summary: "Change the global config",
  body: CONFIG_UPDATE,
  response: { 200: UPDATE_ANSWER, ...ERROR_RESPONSES },
} as const;

export const DELETE_GLOBAL_CONFIG = {
  tags: TAGS,
  summary: "Reset the global config to the defaults; answers the config before",
  response: { 200: CONFIG_VIEW, ...ERROR_RESPONSES },
} as const;

export const GET_SUBJECT_CONFIG = {
  tags: TAGS,
  summary: "Get a subject's config",
  description: "Without defaultToGlobal=true, a subject without a level of its own answers 40408.",
  params: SUBJECT_PARAMS,
  querystring: { type: "object", properties: { defaultToGlobal: { type: "boolean" } } },
  response: { 200: CONFIG_VIEW, ...ERROR_RESPONSES },
} as const;

export const PUT_SUBJECT_CONFIG = {
  tags: TAGS,
  summary: "Change a subject's config",
  params: SUBJECT_PARAMS,
  body: CONFIG_UPDATE,
  response: { 200: UPDATE_ANSWER, ...ERROR_RESPONSES },
} as const;

export const DELETE_SUBJECT_CONFIG = {
  tags: TAGS,
  summary: "Remove a subject's own config (it falls back to global); answers the config before",
  params: SUBJECT_PARAMS,
  response: { 200: CONFIG_VIEW, ...ERROR_RESPONSES },
} as const;
