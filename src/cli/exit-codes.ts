import { ERROR_CODES, type ErrorCode } from "../core/errors.js";

/** Process exit codes of the CLI (sysexits.h numbers where one fits). */
export const EXIT = {
  OK: 0,
  /** The registry (or an offline check) refused: incompatible, lint failed, invalid or unsafe schema. */
  REJECTED: 1,
  USAGE: 2,
  NOT_FOUND: 3,
  AUTH: 4,
  UNAVAILABLE: 69,
  INTERNAL: 70,
  /** EX_CANTCREAT: the data folder is locked by another process. */
  LOCKED: 73,
  CONFIG: 78,
  /** 128 + SIGINT, as shells report a command stopped by Ctrl-C. */
  INTERRUPTED: 130,
} as const;

/** One of the CLI's exit codes. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

// Codes whose exit code does not follow from their HTTP status (see exitCodeFor).
const EXIT_BY_CODE: Partial<Record<ErrorCode, ExitCode>> = {
  SR_USAGE: EXIT.USAGE,
  SR_INVALID_REQUEST: EXIT.USAGE,
  SR_SCHEMA_SOURCE: EXIT.REJECTED,
  SR_SERVER_UNREACHABLE: EXIT.UNAVAILABLE,
  SR_UNAVAILABLE: EXIT.UNAVAILABLE,
  SR_STORE_ERROR: EXIT.UNAVAILABLE,
  SR_OPERATION_TIMEOUT: EXIT.UNAVAILABLE,
  SR_DATA_DIR_LOCKED: EXIT.LOCKED,
  SR_CONFIG_INVALID: EXIT.CONFIG,
  SR_UNSAFE_BIND: EXIT.CONFIG,
  SR_INTERNAL: EXIT.INTERNAL,
  // A 405 from the registry means this CLI and the server disagree on the API: a bug, not a refusal.
  SR_METHOD_NOT_ALLOWED: EXIT.INTERNAL,
  // A malformed source answer or export file is refused input, not a bug of structreg (502 would say 70).
  SR_IMPORT_SOURCE_INVALID: EXIT.REJECTED,
  SR_IMPORT_INTERRUPTED: EXIT.INTERRUPTED,
};

/**
 * The one mapping from error code to exit code. Codes without an explicit entry follow their HTTP status,
 * so a code added to the error table later still gets a sensible exit code without touching this file.
 */
export function exitCodeFor(code: ErrorCode | string): ExitCode {
  const explicit = EXIT_BY_CODE[code as ErrorCode];
  if (explicit !== undefined) return explicit;
  const entry = (ERROR_CODES as Record<string, { status: number } | undefined>)[code];
  if (entry === undefined) return EXIT.INTERNAL;
  return exitCodeForStatus(entry.status);
}

function exitCodeForStatus(status: number): ExitCode {
  if (status === 401 || status === 403) return EXIT.AUTH;
  if (status === 404) return EXIT.NOT_FOUND;
  if (status === 503) return EXIT.UNAVAILABLE;
  if (status >= 500) return EXIT.INTERNAL;
  // 409 incompatible, 413 too large, 415, 422 invalid/unsafe/lint: the input was refused.
  if (status >= 400) return status === 400 ? EXIT.USAGE : EXIT.REJECTED;
  return EXIT.INTERNAL;
}
