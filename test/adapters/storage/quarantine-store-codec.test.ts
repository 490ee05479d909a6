import { describe, expect, test } from "vitest";
import {
  decodeText,
  encodeText,
  fromJsonb,
  jsonDepthExceeds,
  toJsonb,
} from "../../../src/adapters/storage/sql-quarantine-codec.js";

describe("text encoding for PostgreSQL text columns", () => {
  test.each([
    ["plain ASCII", "hello", false],
    ["astral characters", "😀 ü", false],
    ["an empty string", "", false],
    ["a NUL", "a\u0000b", true],
    ["a lone high surrogate", "\ud83d", true],
    ["a lone low surrogate", "\ude00x", true],
    ["text that looks escaped", '"\\u0000"', false],
  ])("encodes %s (escaped: %s) and decodes it back exactly", (_label, value, escaped) => {
    const encoded = encodeText(value);
    expect(encoded.escaped).toBe(escaped);
    expect(encoded.text.includes("\u0000")).toBe(false);
    expect(decodeText(encoded.text, encoded.escaped)).toBe(value);
  });
});

describe("JSON encoding for jsonb columns", () => {
  test.each([
    ["an ordinary array", [{ a: 1 }], false],
    ["a NUL in a string", ["\u0000"], true],
    ["a lone surrogate in a key", [{ "\udc00": 1 }], true],
    ["a literal backslash-u0000 (wrapped needlessly, still exact)", ["\\u0000"], true],
    ["a valid surrogate pair", ["😀"], false],
  ])("writes %s (wrapped: %s) so that it reads back equal", (_label, value, wrapped) => {
    const text = toJsonb(value, "issues");
    const parsed = JSON.parse(text) as unknown;
    expect(Array.isArray(parsed)).toBe(!wrapped);
    expect(fromJsonb(parsed)).toEqual(value);
  });

  test("refuses a cycle with SR_STORE_ERROR", () => {
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    expect(() => toJsonb(cyclic, "repairs")).toThrow(expect.objectContaining({ code: "SR_STORE_ERROR" }));
  });

  test("refuses a stored value that is neither an array nor a wrapper with SR_STORE_ERROR", () => {
    expect(() => fromJsonb({ other: 1 })).toThrow(expect.objectContaining({ code: "SR_STORE_ERROR" }));
    expect(() => fromJsonb(null)).toThrow(expect.objectContaining({ code: "SR_STORE_ERROR" }));
  });

  test.each([
    ["two levels", "[[1]]", 2, false],
    ["three levels", "[[[1]]]", 2, true],
    ["brackets inside strings", '["[[[[", {"a":"{{{{"}]', 2, false],
    ["escaped quotes and backslashes, then real depth", '["\\"[[[[\\\\", [[1]]]', 2, true],
    ["escaped quotes and backslashes only", '["\\"[[[[\\\\", [1]]', 2, false],
    ["100,000 levels", `${"[".repeat(100_000)}${"]".repeat(100_000)}`, 100, true],
  ])("measures the depth of %s without recursion", (_label, text, limit, exceeds) => {
    expect(jsonDepthExceeds(text, limit)).toBe(exceeds);
  });
});
