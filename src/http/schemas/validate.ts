/** Route schemas of validate-and-parse (extension): POST /subjects/{s}/validate. */
import { ERROR_BODY, SUBJECT_PARAMS } from "./common.js";

const TAGS = ["validation"];

const REPAIR = {
  type: "object",
  required: ["kind", "path"],
  properties: {
    kind: { type: "string", description: "Repair kind (see REPAIR_KINDS)." },
    path: { type: "string", description: "JSON Pointer into the output." },
    from: { description: "The value before the repair, when it had one." },
    to: { description: "The value after the repair." },
  },
} as const;

const ISSUE = {
  type: "object",
  required: ["code", "path", "message"],
  additionalProperties: true,
  properties: {
    code: { type: "string", description: "Issue code, e.g. missing_property, invalid_enum, refusal." },
    path: { type: "string", description: "JSON Pointer into the output." },
    message: { type: "string" },
  },
} as const;

/** Fields every outcome has. */
const OUTCOME_FIELDS = {
  ok: { type: "boolean" },
  subject: { type: "string" },
  version: { type: "integer", description: "The version whose shape `data` has (failures: the target)." },
  targetVersion: { type: "integer", description: "The version validation aimed at." },
  resolution: { type: "string", enum: ["pinned", "latest", "rollout:stable", "rollout:candidate"] },
  repairs: { type: "array", items: REPAIR },
  key: { type: "string", description: "The context key (a random one when none was sent)." },
  keyGenerated: { type: "boolean" },
} as const;

export const VALIDATION_SUCCESS = {
  type: "object",
  required: ["ok", "subject", "version", "targetVersion", "resolution", "track", "data", "repairs"],
  properties: {
    ...OUTCOME_FIELDS,
    track: { type: "string", enum: ["strict", "tolerant", "fallback"] },
    data: { description: "The parsed, validated value." },
    matchedVersion: { type: "integer", description: 'With track "fallback": the version that matched.' },
    upgraded: { type: "boolean", description: 'With track "fallback": reshaped to the target version.' },
  },
} as const;

export const VALIDATION_FAILURE = {
  type: "object",
  // Only the error fields are required: any other 422 error of the route is answered with this schema too.
  required: ["error_code", "message", "code"],
  properties: {
    ...ERROR_BODY.properties,
    ...OUTCOME_FIELDS,
    reason: {
      type: "string",
      enum: ["invalid", "no_json", "refusal", "incomplete", "failed", "too_large", "too_deep"],
    },
    issues: { type: "array", items: ISSUE },
    quarantineId: { type: "integer", description: "Id of the quarantined sample." },
  },
} as const;

export const VALIDATE = {
  tags: TAGS,
  summary: "Validate and parse a model output against a subject (extension)",
  description:
    "`output` is the raw model text, an already-parsed value, or a whole OpenAI Responses API response. " +
    "200 answers the parsed value with the track taken and every repair; 422 (code SR_OUTPUT_REJECTED) " +
    "answers the failure with its issues and the id of the quarantined sample.",
  params: SUBJECT_PARAMS,
  body: {
    type: "object",
    required: ["output"],
    properties: {
      output: {
        anyOf: [{ type: "string" }, { type: "object" }, { type: "array" }],
        description: "Raw text, a parsed value, or a Responses API response object.",
      },
      version: { type: "integer", minimum: 1, maximum: 2147483647, description: "Pin a version." },
      key: { type: "string", minLength: 1, maxLength: 1024, description: "Context key (rollout bucketing)." },
    },
  },
  response: { 200: VALIDATION_SUCCESS, 422: VALIDATION_FAILURE, "4xx": ERROR_BODY, "5xx": ERROR_BODY },
} as const;
