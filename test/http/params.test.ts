import { describe, expect, test } from "vitest";
import { parseSchemaId, parseVersion } from "../../src/http/params.js";

describe("parseVersion", () => {
  test.each([
    ["latest", "latest"],
    ["-1", "latest"],
    ["1", 1],
    ["2147483647", 2147483647],
  ])("%j → %j", (raw, expected) => {
    expect(parseVersion(raw)).toBe(expected);
  });

  test.each(["0", "-2", "2147483648", "01", "1.0", "1e2", "LATEST", "", "+1", "0x10", "１"])(
    "refuses %j with SR_INVALID_VERSION",
    (raw) => {
      expect(() => parseVersion(raw)).toThrow(expect.objectContaining({ code: "SR_INVALID_VERSION" }));
    },
  );
});

describe("parseSchemaId", () => {
  test("accepts positive 32-bit integers", () => {
    expect(parseSchemaId("7")).toBe(7);
    expect(parseSchemaId("2147483647")).toBe(2147483647);
  });

  test.each(["0", "-1", "2147483648", "x", "", "7.0"])("answers SR_SCHEMA_NOT_FOUND for %j", (raw) => {
    expect(() => parseSchemaId(raw)).toThrow(expect.objectContaining({ code: "SR_SCHEMA_NOT_FOUND" }));
  });
});
