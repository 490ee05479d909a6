/** Route schemas of generation (extension): POST /subjects/{s}/generate. */
import { ERROR_BODY, SUBJECT_PARAMS } from "./common.js";
import { VALIDATION_FAILURE, VALIDATION_SUCCESS } from "./validate.js";

const TAGS = ["generation"];

/** What generation adds to a validation outcome. */
const GENERATION_FIELDS = {
  model: { type: "string", description: "The model that answered (the fallback model when degraded to it)." },
  requestId: {
    type: ["string", "null"],
    description: "OpenAI's x-request-id (`_request_id`); null when no upstream call answered.",
  },
  usage: {
    type: ["object", "null"],
    additionalProperties: true,
    description: "Token usage as OpenAI reports it (input_tokens, output_tokens, total_tokens, details).",
  },
  attempts: { type: "integer", description: "Upstream attempts made (1 + retries; 0 for a fallback value)." },
  degraded: {
    type: "string",
    enum: ["fallback_model", "fallback_value"],
    description: "Set when the model's circuit breaker was open and the subject's fallback answered.",
  },
  replayed: { type: "boolean", description: "True when answered from the idempotency window." },
} as const;

export const GENERATION_SUCCESS = {
  ...VALIDATION_SUCCESS,
  properties: { ...VALIDATION_SUCCESS.properties, ...GENERATION_FIELDS },
} as const;

export const GENERATION_FAILURE = {
  ...VALIDATION_FAILURE,
  properties: { ...VALIDATION_FAILURE.properties, ...GENERATION_FIELDS },
} as const;

/** Input items of the Responses API are passed through as they are (OpenAI validates them). */
const INPUT = {
  anyOf: [
    { type: "string", minLength: 1 },
    { type: "array", minItems: 1, items: { type: "object" } },
  ],
  description: "The model input: text, or Responses API input items.",
} as const;

export const GENERATE = {
  tags: TAGS,
  summary: "Generate a structured output with OpenAI and validate it (extension)",
  description:
    "Resolves the subject's version (pin, else the rollout decision, else latest), sends its provider-form schema " +
    "as `text.format` (json_schema, strict) to the Responses API, and validates the answer. 200 answers the " +
    "parsed value; 422 (SR_OUTPUT_REJECTED) a refusal, a truncated or failed response, or a bad output (quarantined). " +
    "503 with Retry-After when overloaded or the breaker is open; 429, 502, 504 when OpenAI failed within the budget.",
  params: SUBJECT_PARAMS,
  body: {
    type: "object",
    required: ["input"],
    additionalProperties: false,
    properties: {
      input: INPUT,
      instructions: { type: "string", maxLength: 1_000_000, description: "System instructions." },
      model: {
        type: "string",
        minLength: 1,
        maxLength: 128,
        description: "Model (default: the subject's, else the server's).",
      },
      key: { type: "string", minLength: 1, maxLength: 1024, description: "Context key (rollout bucketing)." },
      version: { type: "integer", minimum: 1, maximum: 2147483647, description: "Pin a version." },
      maxOutputTokens: {
        type: "integer",
        minimum: 16,
        maximum: 1_000_000,
        description: "`max_output_tokens`.",
      },
      idempotencyKey: {
        type: "string",
        minLength: 1,
        maxLength: 255,
        description: "Same key within the window: one upstream call, the same answer.",
      },
      stream: {
        type: "boolean",
        description:
          "Answer text/event-stream: `partial` events as the output forms, then one `outcome` event whose data is " +
          "the non-streamed answer's body (not with idempotencyKey).",
      },
    },
  },
  response: { 200: GENERATION_SUCCESS, 422: GENERATION_FAILURE, "4xx": ERROR_BODY, "5xx": ERROR_BODY },
} as const;
