import type { GenerationOutcome } from "../app/generation-types.js";
import type { ReplaySummary } from "../app/quarantine.js";
import type {
  CheckVerdict,
  EffectiveConfig,
  SchemaRequestOptions,
  VersionView,
} from "../app/registry-types.js";
import type { QuarantineQuery, QuarantineRecord, ValidationOutcome } from "../app/validation-types.js";
import { ERROR_CODES, type ErrorCode, StructregError } from "../core/errors.js";
import { isJsonObject, type JsonSchema } from "../core/json.js";
import type {
  CompatibilityLevel,
  CompatibilityPolicy,
  Profile,
  RegistryMode,
  VersionState,
} from "../core/model.js";
import { readServerEvents, type ServerEvent } from "./sse.js";

/** Confluent's media type; every Confluent client sends it, so structreg's server accepts it. */
export const SCHEMA_REGISTRY_MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";

/** What to tell a user whose registry is not answering. */
export const UNREACHABLE_HINT =
  "is the registry running? start it with `npm start`, or pass --url / set STRUCTREG_URL";

const DEFAULT_TIMEOUT_MS = 30_000;

/** Options of `createRegistryClient`. */
export interface RegistryClientOptions {
  /** Base URL of the registry, e.g. http://127.0.0.1:8080. */
  url: string;
  /** Bearer token, when the server requires one. */
  token?: string | undefined;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number | undefined;
  /** fetch implementation (default: global fetch). */
  fetch?: typeof fetch | undefined;
}

/** Result of a registration over HTTP. */
export interface RegisterResponse {
  id: number;
  version: number;
  created: boolean;
  fingerprint: string;
}

/** Settings patch sent by `PUT /config[/{subject}]`. */
export interface ConfigPatch {
  compatibility?: CompatibilityLevel;
  policy?: CompatibilityPolicy;
  profile?: Profile;
}

/** Body of `POST /subjects/{s}/validate`: raw text, a parsed value or a Responses API response object. */
export interface ValidateRequest {
  output: unknown;
  version?: number;
  key?: string;
}

/** Body of `POST /subjects/{s}/generate` (without `stream`, which `generateStream` sets). */
export interface GenerateBody {
  input: string;
  key?: string;
  version?: number;
  model?: string;
}

/** Filter and page of a quarantine listing over HTTP (the subject is in the path). */
export type QuarantineFilter = Partial<Omit<QuarantineQuery, "subject">>;

/** One page of a quarantine listing. */
export interface QuarantinePage {
  items: QuarantineRecord[];
  nextCursor?: number;
}

/** Answer of `POST /subjects/{s}/quarantine/replay`. */
export type ReplayReport = ReplaySummary;

/** A typed client for the registry's Confluent-compatible HTTP API (plus structreg's extensions). */
export interface RegistryClient {
  readonly url: string;
  /** Registers a schema; `references` are Confluent's `{name, subject, version}` its `$ref`s name. */
  register(subject: string, schema: JsonSchema, options?: SchemaRequestOptions): Promise<RegisterResponse>;
  check(subject: string, schema: JsonSchema, options?: SchemaRequestOptions): Promise<CheckVerdict>;
  listSubjects(options?: { deleted?: boolean }): Promise<string[]>;
  listVersions(subject: string, options?: { deleted?: boolean }): Promise<number[]>;
  getVersion(
    subject: string,
    version: number | "latest",
    options?: { deleted?: boolean },
  ): Promise<VersionView>;
  getProviderSchema(subject: string, version: number | "latest"): Promise<JsonSchema>;
  getConfig(subject?: string): Promise<EffectiveConfig>;
  setConfig(subject: string | undefined, patch: ConfigPatch): Promise<EffectiveConfig>;
  /** The global mode, or the mode in force for a subject (its own, else the global one). */
  getMode(subject?: string): Promise<{ mode: RegistryMode }>;
  /** `PUT /mode[/{subject}][?force=true]`. */
  setMode(
    subject: string | undefined,
    mode: string,
    options?: { force?: boolean },
  ): Promise<{ mode: RegistryMode }>;
  /** `DELETE /mode/{subject}`: answers the mode removed. */
  deleteMode(subject: string): Promise<{ mode: RegistryMode }>;
  deleteSubject(subject: string, options?: { permanent?: boolean }): Promise<number[]>;
  deleteVersion(
    subject: string,
    version: number | "latest",
    options?: { permanent?: boolean },
  ): Promise<number>;
  setVersionState(subject: string, version: number, state: VersionState): Promise<VersionView>;
  /** Validate-and-parse on the server: a rejected output (422 SR_OUTPUT_REJECTED) is an outcome, not a throw. */
  validate(subject: string, request: ValidateRequest): Promise<ValidationOutcome>;
  /** `POST /subjects/{s}/generate`: the outcome body (a 422 rejection is an outcome, not a throw). */
  generate(subject: string, request: GenerateBody): Promise<GenerationOutcome>;
  /** The same with `"stream": true`: `partial` events, then one `outcome` event (errors before it throw). */
  generateStream(subject: string, request: GenerateBody): Promise<AsyncIterable<ServerEvent>>;
  listQuarantine(subject: string, filter?: QuarantineFilter): Promise<QuarantinePage>;
  /** The quarantine as NDJSON, streamed: one QuarantineRecord per line. */
  exportQuarantine(subject: string, filter?: QuarantineFilter): Promise<AsyncIterable<Uint8Array>>;
  replayQuarantine(
    subject: string,
    options?: { version?: number; ids?: number[]; limit?: number },
  ): Promise<ReplayReport>;
}

/** Creates a client over `fetch`. Errors are StructregError with the server's code (or SR_SERVER_UNREACHABLE). */
export function createRegistryClient(options: RegistryClientOptions): RegistryClient {
  const base = parseBaseUrl(options.url);
  const send = createSender(base, options);
  const open = createOpener(base, options);
  const subjectPath = (s: string) => `/subjects/${encodeURIComponent(s)}`;
  const versionPath = (s: string, v: number | "latest") => `${subjectPath(s)}/versions/${v}`;
  const schemaBody = (schema: JsonSchema, options?: SchemaRequestOptions) => ({
    schema: JSON.stringify(schema),
    schemaType: "JSON",
    ...(options?.references !== undefined && options.references.length > 0
      ? { references: options.references }
      : {}),
  });
  const query = (flag: boolean | undefined, name: string) => (flag === true ? `?${name}=true` : "");
  return {
    url: base.href.replace(/\/$/, ""),
    register: (s, schema, o) => send("POST", `${subjectPath(s)}/versions`, schemaBody(schema, o)),
    check: (s, schema, o) => send("POST", `${subjectPath(s)}/check`, schemaBody(schema, o)),
    listSubjects: (o) => send("GET", `/subjects${query(o?.deleted, "deleted")}`),
    listVersions: (s, o) => send("GET", `${subjectPath(s)}/versions${query(o?.deleted, "deleted")}`),
    getVersion: (s, v, o) => send("GET", `${versionPath(s, v)}${query(o?.deleted, "deleted")}`),
    getProviderSchema: (s, v) => send("GET", `${versionPath(s, v)}/provider`),
    // defaultToGlobal: a subject without settings of its own shows what applies to it, not a 404.
    getConfig: (s) =>
      send("GET", s === undefined ? "/config" : `/config/${encodeURIComponent(s)}?defaultToGlobal=true`),
    setConfig: async (s, patch) =>
      toEffectiveConfig(
        await send("PUT", s === undefined ? "/config" : `/config/${encodeURIComponent(s)}`, patch),
      ),
    getMode: (s) =>
      send("GET", s === undefined ? "/mode" : `/mode/${encodeURIComponent(s)}?defaultToGlobal=true`),
    setMode: (s, mode, o) =>
      send(
        "PUT",
        `${s === undefined ? "/mode" : `/mode/${encodeURIComponent(s)}`}${query(o?.force, "force")}`,
        {
          mode,
        },
      ),
    deleteMode: (s) => send("DELETE", `/mode/${encodeURIComponent(s)}`),
    deleteSubject: (s, o) => send("DELETE", `${subjectPath(s)}${query(o?.permanent, "permanent")}`),
    deleteVersion: (s, v, o) => send("DELETE", `${versionPath(s, v)}${query(o?.permanent, "permanent")}`),
    setVersionState: (s, v, state) => send("PUT", `${versionPath(s, v)}/state`, { state }),
    validate: async (s, request) => {
      const response = await open("POST", `${subjectPath(s)}/validate`, request, isRejection);
      return parseBody<ValidationOutcome>(base, await response.text());
    },
    generate: async (s, request) => {
      const response = await open("POST", `${subjectPath(s)}/generate`, request, isRejection);
      return parseBody<GenerationOutcome>(base, await response.text());
    },
    generateStream: async (s, request) => {
      const response = await open("POST", `${subjectPath(s)}/generate`, { ...request, stream: true });
      return readServerEvents(response.body ?? emptyStream());
    },
    listQuarantine: (s, f) => send("GET", `${subjectPath(s)}/quarantine${queryString(f)}`),
    exportQuarantine: async (s, f) => {
      const response = await open("GET", `${subjectPath(s)}/quarantine/export${queryString(f)}`);
      return response.body ?? emptyStream();
    },
    replayQuarantine: (s, o) => send("POST", `${subjectPath(s)}/quarantine/replay`, o ?? {}),
  };
}

// 422 is also how the server answers schema errors: only a body that is a failure outcome is one.
function isRejection(status: number, text: string): boolean {
  if (status !== 422) return false;
  try {
    const body: unknown = JSON.parse(text);
    return isJsonObject(body) && body.ok === false && body.code === "SR_OUTPUT_REJECTED";
  } catch {
    return false;
  }
}

function queryString(filter: QuarantineFilter | undefined): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filter ?? {})) {
    if (value !== undefined) params.set(name, String(value));
  }
  const text = params.toString();
  return text === "" ? "" : `?${text}`;
}

async function* emptyStream(): AsyncIterable<Uint8Array> {}

/** Confluent answers a PUT with `compatibility`, a GET with `compatibilityLevel`: accept both. */
function toEffectiveConfig(
  answer: EffectiveConfig & { compatibility?: CompatibilityLevel },
): EffectiveConfig {
  const { compatibility, ...rest } = answer;
  return { ...rest, compatibilityLevel: answer.compatibilityLevel ?? compatibility };
}

function parseBaseUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidUrl(url);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw invalidUrl(url);
  // Keep a path prefix (a registry behind a reverse proxy) and make relative joins append to it.
  if (!parsed.pathname.endsWith("/")) parsed.pathname += "/";
  return parsed;
}

function invalidUrl(url: string): StructregError {
  return new StructregError(
    "SR_CONFIG_INVALID",
    `registry URL ${JSON.stringify(url)} is not an http(s) URL`,
    {
      hint: "pass --url http://host:port or set STRUCTREG_URL",
    },
  );
}

type Sender = <T>(method: string, path: string, body?: unknown) => Promise<T>;

function createSender(base: URL, options: RegistryClientOptions): Sender {
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const headers: Record<string, string> = { Accept: `${SCHEMA_REGISTRY_MEDIA_TYPE}, application/json` };
  if (options.token !== undefined && options.token !== "") headers.Authorization = `Bearer ${options.token}`;
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const target = new URL(path.slice(1), base);
    const init: RequestInit = { method, headers: { ...headers }, signal: AbortSignal.timeout(timeoutMs) };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)["Content-Type"] = SCHEMA_REGISTRY_MEDIA_TYPE;
    }
    let response: Response;
    let text: string;
    try {
      response = await doFetch(target, init);
      text = await response.text();
    } catch (err) {
      throw unreachable(base, err, timeoutMs);
    }
    if (!response.ok) throw errorFromResponse(response.status, text);
    return parseBody<T>(base, text);
  };
}

type Opener = (
  method: string,
  path: string,
  body?: unknown,
  accept?: (status: number, text: string) => boolean,
) => Promise<Response>;

/**
 * Like the sender, but answers the Response itself (for streamed bodies); a non-2xx answer is an error
 * unless `accept(status, text)` says it is an expected answer (its text is then re-wrapped).
 */
function createOpener(base: URL, options: RegistryClientOptions): Opener {
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return async (method, path, body, accept) => {
    const target = new URL(path.slice(1), base);
    const headers: Record<string, string> = { Accept: "application/json, application/x-ndjson" };
    if (options.token !== undefined && options.token !== "")
      headers.Authorization = `Bearer ${options.token}`;
    // Only the connection and the headers are bounded: an export may stream for longer than a request.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException("timeout", "TimeoutError")), timeoutMs);
    const init: RequestInit = { method, headers, signal: controller.signal };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      headers["Content-Type"] = "application/json";
    }
    let response: Response;
    try {
      response = await doFetch(target, init);
    } catch (err) {
      throw unreachable(base, err, timeoutMs);
    } finally {
      clearTimeout(timer);
    }
    if (response.ok) return response;
    const text = await response.text().catch(() => "");
    if (accept?.(response.status, text) === true) return new Response(text, { status: response.status });
    throw errorFromResponse(response.status, text);
  };
}

function parseBody<T>(base: URL, text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new StructregError(
      "SR_SERVER_UNREACHABLE",
      `the server at ${base.origin} did not answer with JSON`,
      {
        hint: "check that --url / STRUCTREG_URL points at a structreg registry",
        cause: err,
      },
    );
  }
}

function unreachable(base: URL, err: unknown, timeoutMs: number): StructregError {
  const name = err instanceof Error ? err.name : "";
  const reason =
    name === "TimeoutError" || name === "AbortError"
      ? `no answer within ${timeoutMs} ms`
      : describeNetworkError(err);
  return new StructregError(
    "SR_SERVER_UNREACHABLE",
    `cannot reach the registry at ${base.origin}: ${reason}`,
    {
      hint: UNREACHABLE_HINT,
      cause: err,
    },
  );
}

// undici reports "fetch failed" and hides the useful part (ECONNREFUSED, ENOTFOUND …) in `cause`.
function describeNetworkError(err: unknown): string {
  const cause = err instanceof Error ? err.cause : undefined;
  if (isJsonObjectLike(cause) && typeof cause.code === "string") return cause.code;
  if (cause instanceof Error) return cause.message;
  return err instanceof Error ? err.message : String(err);
}

function isJsonObjectLike(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null;
}

/** Turns an error response (`{error_code, message, code?, hint?, details?}`) into a StructregError. */
export function errorFromResponse(status: number, text: string): StructregError {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const fields = isJsonObject(body) ? body : {};
  const code = resolveCode(status, fields.code, fields.error_code);
  const message =
    typeof fields.message === "string" ? fields.message : `HTTP ${status}: ${text.slice(0, 200)}`;
  const options: { details?: Record<string, unknown>; hint?: string } = {};
  if (isJsonObject(fields.details)) options.details = fields.details;
  if (typeof fields.hint === "string") options.hint = fields.hint;
  else if (code === "SR_UNAUTHORIZED") options.hint = "pass --token or set STRUCTREG_TOKEN";
  return new StructregError(code, message, options);
}

// structreg servers send `code`; a plain Confluent server only `error_code`; a proxy perhaps nothing.
function resolveCode(status: number, code: unknown, errorCode: unknown): ErrorCode {
  if (typeof code === "string" && Object.hasOwn(ERROR_CODES, code)) return code as ErrorCode;
  if (typeof errorCode === "number" && errorCode !== status) {
    const found = (Object.keys(ERROR_CODES) as ErrorCode[]).find(
      (c) => ERROR_CODES[c].errorCode === errorCode,
    );
    if (found !== undefined) return found;
  }
  if (status === 401) return "SR_UNAUTHORIZED";
  if (status === 403) return "SR_FORBIDDEN";
  if (status === 404) return "SR_ROUTE_NOT_FOUND";
  if (status === 409) return "SR_INCOMPATIBLE_SCHEMA";
  if (status === 422) return "SR_INVALID_SCHEMA";
  if (status === 502 || status === 503 || status === 504) return "SR_UNAVAILABLE";
  if (status >= 500) return "SR_INTERNAL";
  return "SR_INVALID_REQUEST";
}
