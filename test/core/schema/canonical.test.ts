import { describe, expect, test } from "vitest";
import type { JsonValue } from "../../../src/core/json.js";
import { canonicalJson, fingerprintOf } from "../../../src/core/schema/canonical.js";

describe("canonicalJson", () => {
  test.each<[string, JsonValue, string]>([
    [
      "sorts keys recursively",
      { b: 1, a: { d: [1, { z: 0, y: 1 }], c: null } },
      '{"a":{"c":null,"d":[1,{"y":1,"z":0}]},"b":1}',
    ],
    ["keeps array order", [3, 1, 2], "[3,1,2]"],
    ["prints numbers as JSON.stringify does", [1.0, 1e21, -0, 0.1, 1.5e-7], "[1,1e+21,0,0.1,1.5e-7]"],
    ["escapes strings as JSON.stringify does", { 'q"\n': "é\u2028" }, '{"q\\"\\n":"é\u2028"}'],
    ["prints scalars", "x", '"x"'],
    ["prints empty containers", { a: [], b: {} }, '{"a":[],"b":{}}'],
    // UTF-16 code unit order: "Z" (0x5A) < "a" (0x61) < "é" (0xE9) < "😀" (0xD83D…) < "ｦ" (0xFF66)
    [
      "orders keys by UTF-16 code unit",
      { ｦ: 1, "😀": 2, é: 3, a: 4, Z: 5 },
      '{"Z":5,"a":4,"é":3,"😀":2,"ｦ":1}',
    ],
  ])("%s", (_name, value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  test("gives the same text for the same schema written in another key order and spacing", () => {
    const a = JSON.parse('{ "type": "object", "properties": { "x": { "type": "string" } } }') as JsonValue;
    const b = JSON.parse('{"properties":{"x":{"type":"string"}},"type":"object"}') as JsonValue;
    expect(canonicalJson(a)).toBe(canonicalJson(b));
  });

  test("keeps an own __proto__ key", () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as JsonValue;
    expect(canonicalJson(value)).toBe('{"__proto__":{"polluted":true},"a":1}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("prints a 100,000-level nested value without overflowing the stack", () => {
    const depth = 100_000;
    const value = JSON.parse(`${"[".repeat(depth)}${"]".repeat(depth)}`) as JsonValue;
    expect(canonicalJson(value)).toBe(`${"[".repeat(depth)}${"]".repeat(depth)}`);
  });

  test("round-trips through JSON.parse to an equal value", () => {
    const value: JsonValue = { z: [true, false, null, "s", 2.5], a: { "": 0 } };
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });
});

describe("fingerprintOf", () => {
  test("hashes the canonical text with the function passed in", () => {
    expect(fingerprintOf('{"a":1}', (text) => `hash(${text})`)).toBe('hash({"a":1})');
  });
});
