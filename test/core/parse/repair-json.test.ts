import { describe, expect, test } from "vitest";
import { repairJson } from "../../../src/core/parse/repair-json.js";
import type { Repair } from "../../../src/core/parse/repairs.js";

function repair(text: string, maxDepth = 64) {
  const repairs: Repair[] = [];
  const outcome = repairJson(text, maxDepth, repairs);
  return { outcome, repairs, kinds: repairs.map((r) => r.kind) };
}

describe("repairJson repairs", () => {
  test.each([
    { name: "a trailing comma in an object", text: '{"a": 1,}', value: { a: 1 }, kinds: ["trailing_comma"] },
    { name: "a trailing comma in an array", text: "[1, 2,]", value: [1, 2], kinds: ["trailing_comma"] },
    {
      name: "a missing comma between members",
      text: '{"a": 1 "b": 2}',
      value: { a: 1, b: 2 },
      kinds: ["missing_comma"],
    },
    {
      name: "a missing comma between items",
      text: '["x"\n"y"]',
      value: ["x", "y"],
      kinds: ["missing_comma"],
    },
    { name: "single quotes", text: "{'a': 'it\\'s'}", value: { a: "it's" }, kinds: ["quotes", "quotes"] },
    {
      name: "an apostrophe inside single quotes",
      text: "{\"a\": 'it's fine'}",
      value: { a: "it's fine" },
      kinds: ["quotes"],
    },
    {
      name: "smart double quotes",
      text: "{\u201ca\u201d: \u201cb\u201d}",
      value: { a: "b" },
      kinds: ["quotes", "quotes"],
    },
    { name: "smart single quotes", text: '{"a": \u2018b\u2019}', value: { a: "b" }, kinds: ["quotes"] },
    {
      name: "unquoted keys",
      text: "{a: 1, b_2: 2}",
      value: { a: 1, b_2: 2 },
      kinds: ["unquoted_key", "unquoted_key"],
    },
    { name: "line comments", text: '{"a": 1 // one\n}', value: { a: 1 }, kinds: ["comment"] },
    { name: "block comments", text: '{/* c */"a": 1}', value: { a: 1 }, kinds: ["comment"] },
    {
      name: "Python literals",
      text: '{"a": True, "b": False, "c": None}',
      value: { a: true, b: false, c: null },
      kinds: ["python_literal", "python_literal", "python_literal"],
    },
    {
      name: "raw control characters in a string",
      text: '{"a": "x\ny\tz"}',
      value: { a: "x\ny\tz" },
      kinds: ["control_char"],
    },
    {
      name: "truncation after a complete value",
      text: '{"a": [1, {"b": true',
      value: { a: [1, { b: true }] },
      kinds: ["closed_truncation"],
    },
    { name: "truncation after a comma", text: '{"a": 1,', value: { a: 1 }, kinds: ["closed_truncation"] },
    {
      name: "truncation after a number ended by a space",
      text: '{"a": 12 ',
      value: { a: 12 },
      kinds: ["closed_truncation"],
    },
    {
      name: "truncation after a key (the key is dropped)",
      text: '{"a": 1, "b":',
      value: { a: 1 },
      kinds: ["dropped_dangling_key", "closed_truncation"],
    },
    {
      name: "text after the root value",
      text: '{"a": 1} thanks!',
      value: { a: 1 },
      kinds: ["dropped_trailing_text"],
    },
  ])("repairs $name", ({ text, value, kinds }) => {
    const r = repair(text);
    expect(r.outcome).toMatchObject({ ok: true, value });
    expect(r.kinds).toEqual(kinds);
  });

  test("reports where each repair happened as a JSON Pointer", () => {
    const r = repair("{a: {'b/c': [1 2]}}");
    expect(r.repairs).toEqual([
      { kind: "unquoted_key", path: "/a" },
      { kind: "quotes", path: "/a/b~1c", from: "'" },
      { kind: "missing_comma", path: "/a/b~1c" },
    ]);
  });

  test("says which closers it added", () => {
    expect(repair('{"a": [1').outcome.ok).toBe(false);
    expect(repair('{"a": [true').repairs.at(-1)).toEqual({ kind: "closed_truncation", path: "", to: "]}" });
  });

  test("marks a truncated value as truncated", () => {
    expect(repair('{"a": 1').outcome).toMatchObject({ ok: false });
    expect(repair('{"a": null').outcome).toMatchObject({ ok: true, truncated: true });
    expect(repair('{"a": null}').outcome).toMatchObject({ ok: true, truncated: false });
  });
});

describe("repairJson never invents content", () => {
  test.each([
    { name: "a cut inside a string", text: '{"a": "hel' },
    { name: "a cut inside a key", text: '{"a": 1, "ke' },
    { name: "a cut inside a number", text: '{"a": 12' },
    { name: "a cut inside a literal", text: '{"a": tru' },
    { name: "a cut inside an escape", text: '{"a": "x\\' },
    { name: "a missing colon", text: '{"a" 1}' },
    { name: "an invalid escape", text: '{"a": "\\q"}' },
    { name: "a bare word value", text: '{"a": yes}' },
    { name: "a mismatched closer", text: '{"a": [1}' },
    { name: "a leading zero", text: '{"a": 01}' },
    { name: "NaN", text: '{"a": NaN}' },
    { name: "empty text", text: "   " },
  ])("fails on $name", ({ text }) => {
    expect(repair(text).outcome).toMatchObject({ ok: false, reason: "syntax" });
  });

  test("points at where the text stopped making sense", () => {
    expect(repair('{"a": "hel').outcome).toMatchObject({ ok: false, offset: 6 });
  });
});

describe("repairJson on hostile input", () => {
  test("fails nesting beyond maxDepth without recursion", () => {
    expect(repair("[".repeat(100_000), 64).outcome).toEqual({ ok: false, reason: "too_deep", limit: 64 });
  });

  test("keeps __proto__ and constructor as plain own keys", () => {
    const r = repair("{'__proto__': {'polluted': 1}, constructor: {prototype: {polluted: 2}},}");
    expect(r.outcome.ok).toBe(true);
    const value = (r.outcome as { value: Record<string, unknown> }).value;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(["__proto__", "constructor"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("reads a huge number as Infinity for the validator to reject", () => {
    expect(repair("{'a': 1e400}").outcome).toMatchObject({
      ok: true,
      value: { a: Number.POSITIVE_INFINITY },
    });
  });
});
