/** Contracts of generation: calling the Responses API with a registry schema and validating the answer. */
import type { JsonValue } from "../core/json.js";
import type { ResponseEventStream } from "../core/parse/response-events.js";
import type { JsonSchemaTextFormat } from "./generation-format.js";
import type { GenerationStream } from "./generation-stream.js";
import type { ValidationOutcome } from "./validation-types.js";

/** The body structreg sends to `POST /v1/responses` (non-streaming). */
export interface ResponsesRequest {
  model: string;
  /** A string, or Responses API input items. */
  input: JsonValue;
  instructions?: string;
  max_output_tokens?: number;
  text: { format: JsonSchemaTextFormat };
  /** Run in the background (streamed calls with STRUCTREG_OPENAI_STREAM_BACKGROUND; requires `store`). */
  background?: boolean;
  store?: boolean;
}

/** Token usage as the Responses API reports it. */
export interface ResponsesUsage {
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  input_tokens_details?: { cached_tokens: number };
  output_tokens_details?: { reasoning_tokens: number };
}

/** One answered upstream call (any HTTP 200: completed, incomplete, failed or refused). */
export interface UpstreamResponse {
  /** The Responses API response object (with the SDK's `output_text`). */
  response: Record<string, unknown>;
  /** `x-request-id` of the answering attempt. */
  requestId: string | undefined;
  model: string;
  /** Upstream attempts made (1 + retries). */
  attempts: number;
}

/** A streamed upstream call that opened (HTTP 200, server-sent events). */
export interface UpstreamStream {
  /** The SDK's event stream (its `controller` aborts the request); ends or throws when the call does. */
  events: ResponseEventStream;
  requestId: string | undefined;
  model: string;
  /** Upstream attempts made before the stream opened (1 + retries). */
  attempts: number;
  /** Frees the call's in-flight permit (idempotent); call it once the streamed call is over. */
  release(): void;
  /**
   * Reopens the response's events after a sequence number: only for background responses (the Responses
   * API resumes no other). Absent: a cut stream cannot be resumed.
   */
  resume?: (responseId: string, startingAfter: number) => Promise<ResponseEventStream>;
  /** Stops a background response upstream (best effort, not awaited). */
  cancel?: (responseId: string) => void;
}

/** Per-call options of the port. */
export interface ResponsesCallOptions {
  /** What remains of the caller's budget (capped by the configured budget). */
  budgetMs?: number;
}

/**
 * The Responses API behind its transport policies. Failures throw StructregError: SR_OPENAI_OVERLOADED,
 * SR_OPENAI_CIRCUIT_OPEN, SR_OPENAI_RATE_LIMITED, SR_OPENAI_TIMEOUT, SR_OPENAI_UPSTREAM, SR_OPENAI_REJECTED.
 */
export interface ResponsesPort {
  create(request: ResponsesRequest, options?: ResponsesCallOptions): Promise<UpstreamResponse>;
  /**
   * The same call with `stream: true`. The transport policies apply until the stream opens (a failure
   * after that is the stream's to report, never retried: a retry would be a second generation).
   */
  stream?(request: ResponsesRequest, options?: ResponsesCallOptions): Promise<UpstreamStream>;
}

/** A generate call. */
export interface GenerateRequest {
  input: JsonValue;
  instructions?: string;
  /** Model (else the subject's configured model, else the default). */
  model?: string;
  /** Context key: the rollout decision buckets by it. */
  key?: string;
  /** Pin a version instead of the rollout decision. */
  version?: number;
  maxOutputTokens?: number;
  /** Same key (per subject) within the window: one upstream call, the same answer. */
  idempotencyKey?: string;
}

/** What generation adds to a validation outcome. */
export interface GenerationInfo {
  /** The model that answered (the fallback model when degraded to it). */
  model: string;
  /** Upstream `x-request-id` (`_request_id`), null when no upstream call answered. */
  requestId: string | null;
  usage: ResponsesUsage | null;
  /** Upstream attempts made. */
  attempts: number;
  /** How the answer was degraded while the model's breaker was open. */
  degraded?: "fallback_model" | "fallback_value";
  /** True when the answer was replayed from the idempotency window. */
  replayed?: boolean;
}

/** The validated (or quarantined) answer of a generate call. */
export type GenerationOutcome = ValidationOutcome & GenerationInfo;

/** The schema of a subject's version as a `text.format`, for the caller's own OpenAI call. */
export interface TextFormatResult {
  format: JsonSchemaTextFormat;
  version: number;
  resolution: ValidationOutcome["resolution"];
}

/** Generation use cases. */
export interface GenerationService {
  /** Calls the Responses API with the resolved version's schema and validates the answer. */
  generate(subject: string, request: GenerateRequest): Promise<GenerationOutcome>;
  /**
   * The call with `stream: true` upstream: resolves once the upstream stream is open (errors before that
   * throw as `generate`'s do), then yields partial values and the outcome `generate` would answer.
   */
  generateStream(subject: string, request: GenerateRequest): Promise<GenerationStream>;
  /** The `text.format` of the version a key resolves to (or the pinned one). */
  textFormat(subject: string, options?: { key?: string; version?: number }): Promise<TextFormatResult>;
}
