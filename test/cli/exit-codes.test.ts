import { describe, expect, test } from "vitest";
import { EXIT, exitCodeFor } from "../../src/cli/exit-codes.js";
import { ERROR_CODES, type ErrorCode } from "../../src/core/errors.js";

describe("exitCodeFor", () => {
  test.each<[ErrorCode, number]>([
    ["SR_INCOMPATIBLE_SCHEMA", 1],
    ["SR_LINT_FAILED", 1],
    ["SR_INVALID_SCHEMA", 1],
    ["SR_UNSAFE_PATTERN", 1],
    ["SR_SCHEMA_SOURCE", 1],
    ["SR_USAGE", 2],
    ["SR_SUBJECT_NOT_FOUND", 3],
    ["SR_VERSION_NOT_FOUND", 3],
    ["SR_UNAUTHORIZED", 4],
    ["SR_FORBIDDEN", 4],
    ["SR_SERVER_UNREACHABLE", 69],
    ["SR_STORE_ERROR", 69],
    ["SR_UNAVAILABLE", 69],
    ["SR_INTERNAL", 70],
    ["SR_DATA_DIR_LOCKED", 73],
    ["SR_CONFIG_INVALID", 78],
    ["SR_UNSAFE_BIND", 78],
  ])("maps %s to exit code %i", (code, exit) => {
    expect(exitCodeFor(code)).toBe(exit);
  });

  test("maps every code in the error table to one of the documented exit codes", () => {
    const documented = new Set<number>(Object.values(EXIT));
    for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
      expect(documented.has(exitCodeFor(code)), code).toBe(true);
    }
  });

  test("maps every 404 code to not found and every 422 code to rejected", () => {
    for (const [code, entry] of Object.entries(ERROR_CODES)) {
      if (entry.status === 404) expect(exitCodeFor(code), code).toBe(EXIT.NOT_FOUND);
      if (entry.status === 422 || entry.status === 409) expect(exitCodeFor(code), code).toBe(EXIT.REJECTED);
    }
  });

  test("treats an unknown code (a newer server) as internal", () => {
    expect(exitCodeFor("SR_FROM_THE_FUTURE")).toBe(EXIT.INTERNAL);
  });
});
