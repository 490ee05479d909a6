/**
 * What went wrong with one upstream attempt, classified once: whether it may be retried, whether it counts
 * against the breaker, and the typed error a caller finally sees.
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import { type ErrorCode, StructregError } from "../../core/errors.js";
import type { HeaderReader } from "./retry-after.js";

/** Statuses worth another attempt: rate limiting and the transient server errors. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/** One failed attempt. `status` is the HTTP status, "timeout" or "network". */
export interface AttemptFailure {
  status: number | "timeout" | "network";
  retryable: boolean;
  /** Counts against the breaker (upstream health), unlike a 400 which is our request's fault. */
  breakerFailure: boolean;
  headers: HeaderReader | undefined;
  requestId: string | undefined;
  message: string;
  /** OpenAI's `{type, code, param}` of an error body. */
  upstream: { type?: string; code?: string; param?: string } | undefined;
  cause: unknown;
}

/**
 * Classifies an error thrown by the SDK for one attempt; `timedOut` says our own attempt timer fired.
 * Anything that is not a transport or API error (a bug: a bad option, a programming error) is not an
 * attempt failure: undefined, so the caller rethrows it instead of retrying it.
 */
export function classifyAttemptError(err: unknown, timedOut: boolean): AttemptFailure | undefined {
  const base = { headers: undefined, requestId: undefined, upstream: undefined, cause: err };
  if (timedOut || err instanceof APIConnectionTimeoutError) {
    return {
      ...base,
      status: "timeout",
      retryable: true,
      breakerFailure: true,
      message: "attempt timed out",
    };
  }
  if (err instanceof APIError && typeof err.status === "number") {
    const status = err.status;
    const retryable = RETRYABLE_STATUSES.has(status);
    return {
      status,
      retryable,
      breakerFailure: retryable,
      headers: err.headers as HeaderReader | undefined,
      requestId: err.requestID ?? undefined,
      message: sanitizeUpstreamText(err.message),
      upstream: upstreamFields(err),
      cause: withoutSecrets(err),
    };
  }
  if (err instanceof APIUserAbortError) {
    return { ...base, status: "timeout", retryable: false, breakerFailure: false, message: "aborted" };
  }
  // A connection error (reset, refused, DNS) has no status: transient by nature.
  if (!(err instanceof APIConnectionError)) return undefined;
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : "";
  return {
    ...base,
    cause: withoutSecrets(err),
    status: "network",
    retryable: true,
    breakerFailure: true,
    message: sanitizeUpstreamText(`${err.message}${cause}`),
  };
}

/** Longest upstream text relayed (answers and logs). */
const MAX_UPSTREAM_TEXT = 300;

/**
 * What looks like a credential in OpenAI's text: API keys (`sk-…`, also masked as `sk-proj-****abcd`), bearer
 * values and URL user info. OpenAI's 401 quotes a masked fragment of the key it was sent.
 */
const SECRET_LIKE = [
  /(?:sk|rk|pk|sess|org|proj)[-_][\w*.-]{3,}/gi,
  /Bearer\s+\S+/gi,
  /(\/\/)[^/@\s]+@/g,
  /[\w-]*\*{3,}[\w*-]*/g,
];

/** Upstream text without anything that looks like a key, and capped: what generate answers and logs. */
export function sanitizeUpstreamText(text: string): string {
  let out = text;
  for (const pattern of SECRET_LIKE)
    out = out.replace(
      pattern,
      (_m, slashes?: string) => `${typeof slashes === "string" ? slashes : ""}[redacted]`,
    );
  return out.length > MAX_UPSTREAM_TEXT ? `${out.slice(0, MAX_UPSTREAM_TEXT)}…` : out;
}

/** The error as a cause: its name and sanitised message only (the SDK's error carries headers and body). */
function withoutSecrets(err: Error): Error {
  const clean = new Error(sanitizeUpstreamText(err.message));
  clean.name = err.name;
  return clean;
}

function upstreamFields(err: APIError): AttemptFailure["upstream"] {
  const out: { type?: string; code?: string; param?: string } = {};
  if (typeof err.type === "string") out.type = err.type;
  if (typeof err.code === "string") out.code = err.code;
  if (typeof err.param === "string") out.param = err.param;
  return out;
}

/** The typed error for a call whose last attempt failed this way. */
export function errorForFailure(failure: AttemptFailure, attempts: number, model: string): StructregError {
  const code = codeFor(failure);
  const details: Record<string, unknown> = { model, attempts, upstreamStatus: failure.status };
  if (failure.requestId !== undefined) details.requestId = failure.requestId;
  if (failure.upstream !== undefined) details.upstream = { ...failure.upstream, message: failure.message };
  return new StructregError(code, messageFor(code, failure, attempts), {
    details,
    cause: failure.cause,
    ...(code === "SR_OPENAI_REJECTED" ? { hint: hintFor(failure.status) } : {}),
  });
}

function codeFor(failure: AttemptFailure): ErrorCode {
  if (failure.status === "timeout") return "SR_OPENAI_TIMEOUT";
  if (failure.status === 429) return "SR_OPENAI_RATE_LIMITED";
  if (failure.status === "network" || failure.retryable || failure.status >= 500) return "SR_OPENAI_UPSTREAM";
  return "SR_OPENAI_REJECTED";
}

function messageFor(code: ErrorCode, failure: AttemptFailure, attempts: number): string {
  const tries = `${attempts} attempt${attempts === 1 ? "" : "s"}`;
  if (code === "SR_OPENAI_REJECTED")
    return `OpenAI refused the request (${failure.status}): ${failure.message}`;
  return `OpenAI call failed after ${tries} (last: ${failure.status}): ${failure.message}`;
}

function hintFor(status: AttemptFailure["status"]): string {
  if (status === 401 || status === 403) return "check OPENAI_API_KEY and its project's permissions";
  if (status === 404) return "check the model name and OPENAI_BASE_URL";
  return "the request was refused as sent (model, input or schema): see details.upstream";
}
