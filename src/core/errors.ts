/**
 * The one table of stable error codes. Codes are public API: never rename or reuse one.
 * HTTP status and Confluent `error_code` live here; CLI exit codes are mapped in src/cli/exit-codes.ts.
 * Every code must be documented in README.md (a test checks it).
 */
export const ERROR_CODES = {
  // --- Confluent-compatible registry errors (Confluent's own error_code) ---
  SR_SUBJECT_NOT_FOUND: { status: 404, errorCode: 40401, summary: "Subject not found." },
  SR_VERSION_NOT_FOUND: { status: 404, errorCode: 40402, summary: "Version not found." },
  SR_SCHEMA_NOT_FOUND: { status: 404, errorCode: 40403, summary: "Schema not found." },
  SR_SUBJECT_SOFT_DELETED: { status: 404, errorCode: 40404, summary: "Subject was soft deleted." },
  SR_SUBJECT_NOT_SOFT_DELETED: {
    status: 404,
    errorCode: 40405,
    summary: "Subject must be soft deleted before a permanent delete.",
  },
  SR_VERSION_SOFT_DELETED: { status: 404, errorCode: 40406, summary: "Version was soft deleted." },
  SR_VERSION_NOT_SOFT_DELETED: {
    status: 404,
    errorCode: 40407,
    summary: "Version must be soft deleted before a permanent delete.",
  },
  SR_SUBJECT_CONFIG_NOT_FOUND: {
    status: 404,
    errorCode: 40408,
    summary: "Subject has no compatibility level of its own.",
  },
  SR_INCOMPATIBLE_SCHEMA: {
    status: 409,
    errorCode: 409,
    summary: "Schema is incompatible with earlier versions under the subject's level.",
  },
  SR_INVALID_SCHEMA: { status: 422, errorCode: 42201, summary: "Schema is not a valid JSON Schema." },
  SR_LINT_FAILED: {
    status: 422,
    errorCode: 42201,
    summary: "Schema breaks the subject's provider profile rules (e.g. OpenAI strict mode).",
  },
  SR_UNSAFE_PATTERN: {
    status: 422,
    errorCode: 42201,
    summary:
      "Schema has a regular expression RE2 (the linear-time engine every pattern runs on) cannot run, or one that is not a valid `u`-flag RegExp.",
  },
  SR_REMOTE_REF: { status: 422, errorCode: 42201, summary: "Schema has a remote $ref (never fetched)." },
  SR_SCHEMA_TOO_LARGE: { status: 422, errorCode: 42201, summary: "Schema exceeds the size limit." },
  SR_SCHEMA_TOO_DEEP: { status: 422, errorCode: 42201, summary: "Schema exceeds the nesting limit." },
  SR_UNSUPPORTED_SCHEMA_TYPE: {
    status: 422,
    errorCode: 42201,
    summary: "Only schemaType JSON is supported.",
  },
  SR_INVALID_VERSION: { status: 422, errorCode: 42202, summary: "Version is not a valid version number." },
  SR_INVALID_COMPATIBILITY_LEVEL: {
    status: 422,
    errorCode: 42203,
    summary: "Unknown compatibility level.",
  },
  SR_STORE_ERROR: { status: 500, errorCode: 50001, summary: "The backing store failed." },
  SR_OPERATION_TIMEOUT: { status: 500, errorCode: 50002, summary: "The operation timed out." },
  // --- structreg's own codes (error_code is the HTTP status where Confluent has none) ---
  SR_INVALID_SUBJECT_NAME: {
    status: 422,
    errorCode: 42201,
    summary: "Subject name must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$.",
  },
  SR_INVALID_REQUEST: { status: 400, errorCode: 400, summary: "Request is malformed (body, query or path)." },
  SR_INVALID_PROFILE: { status: 422, errorCode: 422, summary: "Unknown provider profile." },
  SR_INVALID_POLICY: { status: 422, errorCode: 422, summary: "Unknown compatibility policy." },
  SR_INVALID_STATE: { status: 422, errorCode: 422, summary: "Unknown or forbidden version state change." },
  SR_BODY_TOO_LARGE: { status: 413, errorCode: 413, summary: "Request body exceeds the size limit." },
  SR_UNSUPPORTED_MEDIA_TYPE: { status: 415, errorCode: 415, summary: "Content-Type is not JSON." },
  SR_UNAUTHORIZED: { status: 401, errorCode: 401, summary: "Missing or unknown bearer token." },
  SR_FORBIDDEN: { status: 403, errorCode: 403, summary: "Token lacks the scope this operation needs." },
  SR_ROUTE_NOT_FOUND: { status: 404, errorCode: 404, summary: "No such endpoint." },
  SR_METHOD_NOT_ALLOWED: { status: 405, errorCode: 405, summary: "Method not allowed on this endpoint." },
  SR_UNAVAILABLE: { status: 503, errorCode: 503, summary: "Service is not ready or is overloaded." },
  SR_OUTPUT_REJECTED: {
    status: 422,
    errorCode: 42210,
    summary:
      "Model output was rejected by validate-and-parse (the answer carries the issues and quarantineId).",
  },
  SR_SAMPLE_NOT_FOUND: { status: 404, errorCode: 404, summary: "Quarantined sample not found." },
  SR_INTERNAL: {
    status: 500,
    errorCode: 50001,
    summary: "Unexpected internal error (a bug: please report it).",
  },
  // --- process / CLI level ---
  SR_CONFIG_INVALID: { status: 500, errorCode: 500, summary: "Configuration is invalid." },
  SR_UNSAFE_BIND: {
    status: 500,
    errorCode: 500,
    summary: "Refusing to bind a non-loopback address without tokens.",
  },
  SR_DATA_DIR_LOCKED: {
    status: 500,
    errorCode: 500,
    summary: "The data folder is in use by another structreg process.",
  },
  SR_USAGE: { status: 400, errorCode: 400, summary: "Command-line usage error." },
  SR_SCHEMA_SOURCE: {
    status: 400,
    errorCode: 400,
    summary: "Schema file could not be read, parsed or imported.",
  },
  SR_SERVER_UNREACHABLE: {
    status: 503,
    errorCode: 503,
    summary: "The registry server could not be reached.",
  },
  SR_FILE_ACCESS: {
    status: 400,
    errorCode: 400,
    summary: "A file named on the command line could not be read or written.",
  },
  // --- generation (OpenAI Responses API) ---
  SR_OPENAI_NOT_CONFIGURED: { status: 503, errorCode: 503, summary: "Generation needs OPENAI_API_KEY." },
  SR_OPENAI_OVERLOADED: {
    status: 503,
    errorCode: 503,
    summary: "Too many generate calls in flight and waiting: retry after Retry-After.",
  },
  SR_OPENAI_CIRCUIT_OPEN: {
    status: 503,
    errorCode: 503,
    summary: "The circuit breaker of the model is open after upstream failures: retry after Retry-After.",
  },
  SR_OPENAI_RATE_LIMITED: {
    status: 429,
    errorCode: 429,
    summary: "OpenAI (or the client-side limit) kept answering 429 within the call's budget.",
  },
  SR_OPENAI_TIMEOUT: {
    status: 504,
    errorCode: 504,
    summary: "The generate call ran out of its time budget.",
  },
  SR_OPENAI_UPSTREAM: {
    status: 502,
    errorCode: 502,
    summary: "OpenAI failed (5xx or connection error) on every attempt within the budget.",
  },
  SR_OPENAI_REJECTED: {
    status: 502,
    errorCode: 502,
    summary: "OpenAI refused the request (400/401/403/404/422); details carry its error.",
  },
  SR_IDEMPOTENCY_CONFLICT: {
    status: 422,
    errorCode: 422,
    summary: "The idempotencyKey was used with a different request within the window.",
  },
  // --- rollout (issue 4) ---
  SR_ROLLOUT_CONFLICT: {
    status: 409,
    errorCode: 409,
    summary: "The rollout changed since it was read (stale revision): read it again and retry.",
  },
  SR_ROLLOUT_INVALID: {
    status: 422,
    errorCode: 422,
    summary:
      "Rollout change refused: the candidate is not an ENABLED version, equals stable, or settings are out of range.",
  },
  SR_ROLLOUT_INVALID_PERCENT: {
    status: 422,
    errorCode: 422,
    summary: "Rollout percent must be from 0 to 100.",
  },
  SR_ROLLOUT_INCOMPATIBLE: {
    status: 409,
    errorCode: 409,
    summary: "The rollout candidate is incompatible with the stable version under the subject's level.",
  },
  SR_ROLLOUT_NO_CANDIDATE: {
    status: 409,
    errorCode: 409,
    summary: "The subject's rollout has no candidate.",
  },
  SR_ROLLOUT_FLAG_READ_ONLY: {
    status: 409,
    errorCode: 409,
    summary: "Flags come from LaunchDarkly and no LD_API_TOKEN is set: change the flag in LaunchDarkly.",
  },
  SR_ROLLOUT_FLAG_UPDATE_FAILED: {
    status: 502,
    errorCode: 502,
    summary: "LaunchDarkly's REST API refused or failed the flag change; nothing was changed.",
  },
  // --- HTTP edge (issue 9) ---
  SR_HOST_NOT_ALLOWED: {
    status: 403,
    errorCode: 403,
    summary:
      "The request's Host is not on the allow-list (STRUCTREG_ALLOWED_HOSTS): DNS rebinding is refused.",
  },
  // --- schema walks (issue 9) ---
  SR_SCHEMA_TOO_COMPLEX: {
    status: 422,
    errorCode: 42201,
    summary: "Walking the schema ($ref expansion, a compatibility diff) would pass the work limit.",
  },
  // --- storage faults (issue 9) ---
  SR_STORE_UNAVAILABLE: {
    status: 503,
    errorCode: 50003,
    summary:
      "The database is unreachable, restarting, too slow, out of disk space or read-only: nothing was written; retry.",
  },
  SR_INVALID_REFERENCE: {
    status: 422,
    errorCode: 42201,
    summary:
      "A schema reference is malformed (name, subject, version, a name listed twice) or cannot be bundled (a $id below a document's root, a fragment naming nothing).",
  },
  SR_REFERENCE_NOT_FOUND: {
    status: 422,
    errorCode: 42201,
    summary: "A schema reference names a subject or version that does not exist.",
  },
  SR_REFERENCE_CYCLE: {
    status: 422,
    errorCode: 42201,
    summary: "Schema references form a cycle.",
  },
  SR_REFERENCES_TOO_LARGE: {
    status: 422,
    errorCode: 42201,
    summary: "Schema references reach too many documents, too many bytes or too deep a chain.",
  },
  SR_REFERENCE_EXISTS: {
    status: 422,
    errorCode: 42206,
    summary: "The version is referenced by another schema and cannot be deleted.",
  },
  // --- registry modes and import (issue 12); Confluent answers 42204, 40409 and 42205 ---
  SR_INVALID_MODE: {
    status: 422,
    errorCode: 42204,
    summary: "Unknown mode: use READWRITE, READONLY, READONLY_OVERRIDE or IMPORT.",
  },
  SR_SUBJECT_MODE_NOT_FOUND: {
    status: 404,
    errorCode: 40409,
    summary: "Subject has no mode of its own.",
  },
  SR_READ_ONLY_MODE: {
    status: 422,
    errorCode: 42205,
    summary: "The registry or the subject is in READONLY (or READONLY_OVERRIDE) mode: the write is refused.",
  },
  SR_IMPORT_MODE_REQUIRED: {
    status: 422,
    errorCode: 42205,
    summary: "Registering with an explicit id or version needs IMPORT mode.",
  },
  SR_READ_WRITE_MODE_REQUIRED: {
    status: 422,
    errorCode: 42205,
    summary: "In IMPORT mode a new schema needs an explicit id (or the subject must be READWRITE).",
  },
  SR_IMPORT_NOT_EMPTY: {
    status: 422,
    errorCode: 42205,
    summary: "IMPORT mode can be entered only on an empty registry or subject, unless forced.",
  },
  SR_IMPORT_ID_CONFLICT: {
    status: 422,
    errorCode: 42205,
    summary: "The explicit id belongs to a different schema.",
  },
  SR_IMPORT_SCHEMA_HAS_ID: {
    status: 422,
    errorCode: 42205,
    summary:
      "The schema is already registered under another id (structreg keeps one id per canonical schema).",
  },
  SR_IMPORT_VERSION_CONFLICT: {
    status: 422,
    errorCode: 42205,
    summary: "The explicit version of the subject already holds a different schema.",
  },
  // --- structreg import / export (CLI only: the HTTP API never answers these) ---
  SR_IMPORT_SOURCE_UNREACHABLE: {
    status: 503,
    errorCode: 503,
    summary: "The import source could not be reached, or kept failing (timeouts, 429, 5xx) after retries.",
  },
  SR_IMPORT_SOURCE_INVALID: {
    status: 502,
    errorCode: 502,
    summary:
      "The import source answered something that is not a Confluent-compatible registry answer, or the export file is malformed or truncated.",
  },
  SR_IMPORT_TOO_LARGE: {
    status: 413,
    errorCode: 413,
    summary:
      "The import passes a size limit (subjects, versions, answer or schema bytes): import in parts with --subjects.",
  },
  SR_IMPORT_REFERENCE_CYCLE: {
    status: 422,
    errorCode: 422,
    summary: "The source's schema references form a cycle: no order can register them; nothing was written.",
  },
  SR_IMPORT_CONFLICT: {
    status: 409,
    errorCode: 409,
    summary:
      "The target already holds a different schema or id at that subject and version: it was not overwritten.",
  },
  SR_IMPORT_STATE: {
    status: 400,
    errorCode: 400,
    summary: "The import state file is unreadable or belongs to another import (other source or target).",
  },
  // --- console (issue 10) ---
  SR_SIGNIN_THROTTLED: {
    status: 429,
    errorCode: 42901,
    summary:
      "Too many console sign-in attempts from this address, or from everyone: wait the Retry-After seconds, then retry.",
  },
  SR_IMPORT_INTERRUPTED: {
    status: 503,
    errorCode: 503,
    summary:
      "The import was interrupted (SIGINT/SIGTERM): it stopped after the step in progress and restored the modes; run it again to resume.",
  },
} as const satisfies Record<string, { status: number; errorCode: number; summary: string }>;

/** A stable structreg error code. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** An error with a stable code; `details` carries typed parameters (differences, lint problems, …). */
export class StructregError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  /** What the user can do next, when known. */
  readonly hint: string | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; hint?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "StructregError";
    this.code = code;
    this.details = options.details;
    this.hint = options.hint;
  }

  /** HTTP status for this error. */
  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  /** Confluent-style numeric `error_code`. */
  get errorCode(): number {
    return ERROR_CODES[this.code].errorCode;
  }
}

/** True for a StructregError (also across module copies). */
export function isStructregError(err: unknown): err is StructregError {
  return (
    err instanceof StructregError || (err instanceof Error && err.name === "StructregError" && "code" in err)
  );
}
