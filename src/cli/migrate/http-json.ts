/**
 * JSON over HTTP for import and export: every request has a timeout, every answer a size bound, and
 * 429 / 5xx / connection failures are retried with jittered exponential backoff (Retry-After honoured,
 * capped). Non-retryable answers come back as `{status, body}` for the caller to judge.
 */

import { SCHEMA_REGISTRY_MEDIA_TYPE } from "../../client/http-client.js";
import { type ErrorCode, StructregError } from "../../core/errors.js";

/** Options of `createJsonHttp`. */
export interface JsonHttpOptions {
  /** Base URL (a path prefix is kept). */
  url: string;
  /** Extra headers (Authorization); never printed. */
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** Retries after the first attempt. */
  retries?: number;
  /** Largest answer body read, in bytes. */
  maxBodyBytes?: number;
  /** Code of the error thrown when the server cannot be reached, and of a malformed answer. */
  unreachableCode: ErrorCode;
  invalidCode: ErrorCode;
  /** What to call the server in messages ("the source", "the target"). */
  label: string;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** An answer: the status and the parsed JSON body (undefined for an empty body). */
export interface JsonAnswer {
  status: number;
  body: unknown;
  text: string;
}

/** A JSON HTTP endpoint. */
export interface JsonHttp {
  /** The base URL without credentials (safe to print). */
  readonly origin: string;
  request(method: string, path: string, body?: unknown): Promise<JsonAnswer>;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_RETRIES = 4;
const DEFAULT_MAX_BODY = 16 * 1024 * 1024;
const BACKOFF_BASE_MS = 200;
const BACKOFF_CAP_MS = 5_000;

/** Creates the endpoint; validates the URL (http or https only). */
export function createJsonHttp(options: JsonHttpOptions): JsonHttp {
  const base = parseUrl(options.url, options.label);
  const doFetch = options.fetch ?? globalThis.fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const random = options.random ?? Math.random;
  const retries = options.retries ?? DEFAULT_RETRIES;
  const origin = `${base.origin}${base.pathname.replace(/\/$/, "")}`;
  const attempt = (method: string, path: string, body: unknown) =>
    sendOnce(doFetch, base, options, method, path, body);
  return {
    origin,
    async request(method, path, body) {
      for (let tried = 0; ; tried++) {
        const outcome = await attempt(method, path, body).catch((err: unknown) => err);
        const retryable = isRetryable(outcome);
        if (!retryable || tried >= retries) return finish(outcome, options, origin, path);
        const wait = retryAfterMs(outcome) ?? backoffMs(tried, random);
        await sleep(Math.min(wait, BACKOFF_CAP_MS));
      }
    },
  };
}

async function sendOnce(
  doFetch: typeof fetch,
  base: URL,
  options: JsonHttpOptions,
  method: string,
  path: string,
  body: unknown,
): Promise<JsonAnswer & { retryAfter: string | null }> {
  const headers: Record<string, string> = {
    Accept: `${SCHEMA_REGISTRY_MEDIA_TYPE}, application/json`,
    ...options.headers,
  };
  const init: RequestInit = {
    method,
    headers,
    signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
  };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    headers["Content-Type"] = SCHEMA_REGISTRY_MEDIA_TYPE;
  }
  const response = await doFetch(new URL(path.replace(/^\//, ""), base), init);
  const text = await readBounded(response, options.maxBodyBytes ?? DEFAULT_MAX_BODY);
  return {
    status: response.status,
    body: parseOrUndefined(text),
    text,
    retryAfter: response.headers.get("retry-after"),
  };
}

/** Reads a body up to `limit` bytes; past it the read is cancelled and a typed error thrown. */
async function readBounded(response: Response, limit: number): Promise<string> {
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge(limit);
  }
  if (response.body === null) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function tooLarge(limit: number): StructregError {
  return new StructregError("SR_IMPORT_TOO_LARGE", `an answer is larger than ${limit} bytes`, {
    hint: "a registry answer this large is not a schema registry's: check the URL",
  });
}

function parseOrUndefined(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return INVALID_JSON;
  }
}

/** Marker for a body that is not JSON (distinct from an empty body). */
export const INVALID_JSON: unique symbol = Symbol("invalid JSON");

function isRetryable(outcome: unknown): boolean {
  if (outcome instanceof StructregError) return false; // too large: retrying reads the same
  if (outcome instanceof Error) return true; // network error or timeout
  const status = (outcome as JsonAnswer).status;
  return status === 429 || status === 408 || status >= 500;
}

function retryAfterMs(outcome: unknown): number | undefined {
  if (outcome instanceof Error) return undefined;
  const raw = (outcome as { retryAfter: string | null }).retryAfter;
  if (raw === null) return undefined;
  const seconds = Number(raw);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

function backoffMs(tried: number, random: () => number): number {
  // Full jitter: many importers behind one proxy should not retry in lockstep.
  return Math.round(random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** tried));
}

function finish(outcome: unknown, options: JsonHttpOptions, origin: string, path: string): JsonAnswer {
  if (outcome instanceof StructregError) throw outcome;
  if (outcome instanceof Error) {
    throw new StructregError(
      options.unreachableCode,
      `cannot reach ${options.label} at ${origin}: ${describe(outcome)}`,
      {
        hint: `check the URL and that ${options.label} is running`,
        cause: outcome,
      },
    );
  }
  const answer = outcome as JsonAnswer;
  if (answer.body === INVALID_JSON) {
    throw new StructregError(
      answer.status >= 500 ? options.unreachableCode : options.invalidCode,
      `${options.label} answered ${path} with HTTP ${answer.status} and a body that is not JSON`,
      { hint: "is the URL a Confluent-compatible schema registry?" },
    );
  }
  return { status: answer.status, body: answer.body, text: answer.text };
}

function describe(err: Error): string {
  if (err.name === "TimeoutError" || err.name === "AbortError") return "no answer in time";
  const cause = err.cause as { code?: unknown; message?: unknown } | undefined;
  if (typeof cause?.code === "string") return cause.code;
  if (typeof cause?.message === "string") return cause.message;
  return err.message;
}

function parseUrl(url: string, label: string): URL {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
    throw new StructregError(
      "SR_USAGE",
      `${label} URL ${JSON.stringify(redactUrl(url))} is not an http(s) URL`,
    );
  }
  // Credentials in a URL would end up in messages and the state file: take them out, callers pass headers.
  parsed.username = "";
  parsed.password = "";
  if (!parsed.pathname.endsWith("/")) parsed.pathname += "/";
  return parsed;
}

/** A URL with any user:password removed (safe to print). */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^/@]*@/, "//");
}
