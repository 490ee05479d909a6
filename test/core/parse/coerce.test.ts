import { describe, expect, test } from "vitest";
import type { JsonSchema } from "../../../src/core/json.js";
import { COERCERS, coerceOutput, dirtyPaths } from "../../../src/core/parse/coerce.js";
import { normalizeEnumText } from "../../../src/core/parse/coercers/enum.js";
import type { Repair } from "../../../src/core/parse/repairs.js";

function coerce(schema: JsonSchema, value: unknown, fillNulls = true) {
  const repairs: Repair[] = [];
  const out = coerceOutput(value, schema, {
    repairs,
    fillNulls,
    maxDepth: 64,
    cache: new WeakMap(),
    plans: new WeakMap(),
    dirty: undefined,
  });
  return { out, repairs };
}

const status = {
  type: "string",
  enum: ["active", "in_progress", "on_hold", "other"],
  "x-aliases": { on_hold: ["paused", "waiting"] },
};
const strictStatus = { type: "string", enum: ["low", "high"] };

describe("enum coercion", () => {
  test.each([
    { raw: "active", to: "active", kinds: [] },
    { raw: "ACTIVE", to: "active", kinds: ["enum_case"] },
    { raw: "  Active ", to: "active", kinds: ["enum_case"] },
    { raw: "In Progress", to: "in_progress", kinds: ["enum_case"] },
    { raw: "in-progress", to: "in_progress", kinds: ["enum_case"] },
    { raw: "Paused", to: "on_hold", kinds: ["enum_alias"] },
    { raw: "cancelled", to: "other", kinds: ["enum_fallback"] },
  ])("maps $raw to $to", ({ raw, to, kinds }) => {
    const { out, repairs } = coerce(status, raw);
    expect(out).toBe(to);
    expect(repairs.map((r) => r.kind)).toEqual(kinds);
  });

  test("keeps the raw value of a fallback in the repair", () => {
    expect(coerce(status, "cancelled").repairs).toEqual([
      { kind: "enum_fallback", path: "", from: "cancelled", to: "other" },
    ]);
  });

  test("prefers x-enum-fallback over a member named other or unknown", () => {
    const schema = { type: "string", enum: ["a", "unknown", "b"], "x-enum-fallback": "b" };
    expect(coerce(schema, "zzz").out).toBe("b");
    expect(coerce({ type: "string", enum: ["a", "unknown"] }, "zzz").out).toBe("unknown");
  });

  test("leaves an unknown value alone when there is no catch-all", () => {
    expect(coerce(strictStatus, "critical")).toEqual({ out: "critical", repairs: [] });
  });

  test("never guesses between two members with the same loose spelling", () => {
    expect(coerce({ type: "string", enum: ["in-progress", "in_progress"] }, "IN PROGRESS").repairs).toEqual(
      [],
    );
  });

  test("matches a repeated off-enum value the same way every time (remembered per schema)", () => {
    const repairs: Repair[] = [];
    const options = { repairs, fillNulls: true, maxDepth: 64, cache: new WeakMap(), plans: new WeakMap() };
    const long = `${"x".repeat(100)} cancelled`;
    for (let i = 0; i < 2; i++) {
      for (const raw of ["ACTIVE", "Paused", "cancelled", long])
        coerceOutput(raw, status, { ...options, dirty: undefined });
      expect(coerceOutput("critical", strictStatus, { ...options, dirty: undefined })).toBe("critical");
    }
    const once = [
      { kind: "enum_case", path: "", from: "ACTIVE", to: "active" },
      { kind: "enum_alias", path: "", from: "Paused", to: "on_hold" },
      { kind: "enum_fallback", path: "", from: "cancelled", to: "other" },
      { kind: "enum_fallback", path: "", from: long, to: "other" },
    ];
    expect(repairs).toEqual([...once, ...once]);
  });

  test("never turns null into a member", () => {
    expect(coerce(status, null)).toEqual({ out: null, repairs: [] });
  });

  test("treats const as a one-member enum", () => {
    expect(coerce({ const: "yes" }, "YES").out).toBe("yes");
  });

  test("normalises case, surrounding spaces and separators", () => {
    expect(normalizeEnumText("  In - Progress ")).toBe("in_progress");
  });
});

describe("scalar coercion", () => {
  test.each([
    { schema: { type: "integer" }, raw: "42", to: 42, kind: "number_from_string" },
    { schema: { type: "integer" }, raw: "-3.0", to: -3, kind: "number_from_string" },
    { schema: { type: "number" }, raw: "2.5e3", to: 2500, kind: "number_from_string" },
    { schema: { type: "boolean" }, raw: "TRUE", to: true, kind: "boolean_from_string" },
    { schema: { type: "boolean" }, raw: "false", to: false, kind: "boolean_from_string" },
    { schema: { type: "string" }, raw: 7, to: "7", kind: "string_from_number" },
    { schema: { type: ["string", "null"] }, raw: 1.5, to: "1.5", kind: "string_from_number" },
  ])("converts $raw exactly for $schema.type", ({ schema, raw, to, kind }) => {
    expect(coerce(schema, raw)).toEqual({ out: to, repairs: [{ kind, path: "", from: raw, to }] });
  });

  test.each([
    { schema: { type: "integer" }, raw: "about 3" },
    { schema: { type: "integer" }, raw: " 3" },
    { schema: { type: "integer" }, raw: "3.5" },
    { schema: { type: "integer" }, raw: "12345678901234567890" },
    { schema: { type: "number" }, raw: "1e400" },
    { schema: { type: "number" }, raw: "0x10" },
    { schema: { type: "boolean" }, raw: "yes" },
    { schema: { type: "boolean" }, raw: 1 },
    { schema: { type: "integer" }, raw: 2.5 },
    { schema: { type: "string" }, raw: null },
    { schema: { type: "string" }, raw: true },
  ])("leaves $raw alone for $schema.type", ({ schema, raw }) => {
    expect(coerce(schema, raw)).toEqual({ out: raw, repairs: [] });
  });

  test("does nothing to a value of an accepted type", () => {
    expect(coerce({ type: ["string", "integer"] }, "3")).toEqual({ out: "3", repairs: [] });
  });
});

describe("structural coercion", () => {
  const object = {
    type: "object",
    additionalProperties: false,
    required: ["tags", "note", "count"],
    properties: {
      tags: { type: "array", items: { type: "string", enum: ["a", "b"] } },
      note: { anyOf: [{ type: "string" }, { type: "null" }] },
      count: { type: "integer" },
    },
  };

  test("wraps a lone value in an array and coerces it as an item", () => {
    expect(coerce(object, { tags: "A", note: null, count: 1 })).toEqual({
      out: { tags: ["a"], note: null, count: 1 },
      repairs: [
        { kind: "wrapped_in_array", path: "/tags" },
        { kind: "enum_case", path: "/tags/0", from: "A", to: "a" },
      ],
    });
  });

  test("never wraps null", () => {
    expect(coerce({ type: "array" }, null).out).toBeNull();
  });

  test("sets a missing nullable required property to null", () => {
    expect(coerce(object, { tags: [], count: 1 })).toEqual({
      out: { tags: [], count: 1, note: null },
      repairs: [{ kind: "null_for_missing", path: "/note", to: null }],
    });
  });

  test("does not fill nulls after a truncation", () => {
    expect(coerce(object, { tags: [], count: 1 }, false).out).toEqual({ tags: [], count: 1 });
  });

  test("leaves a missing non-nullable property missing", () => {
    expect(coerce(object, { tags: [], note: null }).out).toEqual({ tags: [], note: null });
  });

  test("drops unknown keys where additionalProperties is false", () => {
    expect(coerce(object, { tags: [], note: null, count: 1, why: "x" }).repairs).toEqual([
      { kind: "dropped_unknown_key", path: "/why", from: "why" },
    ]);
  });

  test("keeps unknown keys where additional properties are allowed", () => {
    expect(coerce({ type: "object", properties: {} }, { why: "x" })).toEqual({
      out: { why: "x" },
      repairs: [],
    });
  });

  test("keeps keys that patternProperties allow", () => {
    const schema = {
      type: "object",
      additionalProperties: false,
      patternProperties: { "^x-": { type: "integer" } },
    };
    expect(coerce(schema, { "x-a": "1", b: 2 })).toEqual({
      out: { "x-a": 1 },
      repairs: [
        { kind: "number_from_string", path: "/x-a", from: "1", to: 1 },
        { kind: "dropped_unknown_key", path: "/b", from: "b" },
      ],
    });
  });

  test("coerces the non-null branch of an anyOf", () => {
    expect(coerce({ anyOf: [{ type: "integer" }, { type: "null" }] }, "5").out).toBe(5);
  });

  test("follows local $refs, including recursion", () => {
    const schema = {
      $defs: {
        node: {
          type: "object",
          properties: { kind: { enum: ["leaf", "branch"] }, next: { $ref: "#/$defs/node" } },
        },
      },
      $ref: "#/$defs/node",
    };
    expect(coerce(schema, { kind: "Leaf", next: { kind: "BRANCH" } }).out).toEqual({
      kind: "leaf",
      next: { kind: "branch" },
    });
  });

  test("does not mutate its input", () => {
    const input = { tags: "a", note: null, count: "1" };
    coerce(object, input);
    expect(input).toEqual({ tags: "a", note: null, count: "1" });
  });

  test("registers one coercer per keyword family", () => {
    expect(COERCERS.map((c) => c.family)).toEqual(["combined", "array", "scalar", "enum", "object"]);
  });
});

describe("dirty paths", () => {
  test("lists every ancestor of each rejected value", () => {
    expect([...dirtyPaths(["/a/b/0", "/c"])].sort()).toEqual(["", "/a", "/a/b", "/a/b/0", "/c"]);
  });

  test("walks only the rejected parts of a value, returning the rest untouched", () => {
    const schema = {
      type: "object",
      properties: {
        a: { type: "object", properties: { s: { enum: ["x"] } } },
        b: { type: "object", properties: { s: { enum: ["x"] } } },
      },
    };
    const value = { a: { s: "X" }, b: { s: "X" } };
    const repairs: Repair[] = [];
    const opts = { repairs, fillNulls: true, maxDepth: 64, cache: new WeakMap(), plans: new WeakMap() };
    const out = coerceOutput(value, schema, { ...opts, dirty: dirtyPaths(["/a/s"]) }) as typeof value;
    expect(out).toEqual({ a: { s: "x" }, b: { s: "X" } });
    expect(out.b).toBe(value.b);
  });

  test("walks all of a value it wrapped in an array", () => {
    const schema = { type: "array", items: { type: "object", properties: { s: { enum: ["x"] } } } };
    const repairs: Repair[] = [];
    const opts = { repairs, fillNulls: true, maxDepth: 64, cache: new WeakMap(), plans: new WeakMap() };
    expect(coerceOutput({ s: "X" }, schema, { ...opts, dirty: dirtyPaths([""]) })).toEqual([{ s: "x" }]);
  });
});
