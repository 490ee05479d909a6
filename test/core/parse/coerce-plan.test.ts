import { describe, expect, test } from "vitest";
import type { JsonSchema } from "../../../src/core/json.js";
import { type CoerceContext, coerceOutput, coerceValue, dirtyPaths } from "../../../src/core/parse/coerce.js";
import { coerceWithPlan, compileCoercePlan } from "../../../src/core/parse/coerce-plan.js";
import { createParser } from "../../../src/core/parse/pipeline.js";
import type { Repair } from "../../../src/core/parse/repairs.js";
import { compileValidators } from "../../../src/core/parse/validators.js";

/** The generic pass as the pipeline ran it before plans: walking only the paths validation rejected. */
function generic(schema: JsonSchema, value: unknown, fillNulls: boolean) {
  const full = compileValidators(schema).full();
  const errors = full(value) ? [] : (full.errors ?? []);
  const repairs: Repair[] = [];
  const out = coerceOutput(value, schema, {
    repairs,
    fillNulls,
    maxDepth: 64,
    cache: new WeakMap(),
    plans: new WeakMap(),
    dirty: dirtyPaths(errors.map((e) => e.instancePath)),
  });
  return { out, repairs };
}

function planned(schema: JsonSchema, value: unknown, fillNulls: boolean) {
  const plan = compileCoercePlan(schema, 64);
  if (plan === undefined) throw new Error("schema has no plan");
  const repairs: Repair[] = [];
  const ctx: CoerceContext = {
    root: schema,
    repairs,
    fillNulls,
    maxDepth: 64,
    cache: new WeakMap(),
    plans: new WeakMap(),
    dirty: undefined,
    recurse: coerceValue,
  };
  return { out: coerceWithPlan(value, plan, ctx), repairs };
}

const status = { type: "string", enum: ["open", "in_progress", "other"], "x-aliases": { open: ["new"] } };
const item = {
  type: "object",
  properties: { sku: { type: "string" }, qty: { type: "integer" }, tag: { type: ["string", "null"] } },
  required: ["sku", "qty", "tag"],
  additionalProperties: false,
};
const schema = {
  type: "object",
  properties: {
    status,
    count: { type: "integer" },
    ok: { type: "boolean" },
    note: { anyOf: [{ type: "string" }, { type: "null" }] },
    owner: { anyOf: [{ $ref: "#/$defs/person" }, { type: "null" }] },
    lines: { type: "array", items: item },
    pair: { type: "array", prefixItems: [{ type: "number" }, status] },
    extra: { type: "object", additionalProperties: { type: "integer" } },
    free: true,
    never: false,
  },
  required: ["status", "count", "ok", "note", "owner", "lines"],
  additionalProperties: false,
  $defs: { person: { type: "object", properties: { role: status }, required: ["role"] } },
};
const valid = {
  status: "open",
  count: 1,
  ok: true,
  note: null,
  owner: { role: "other" },
  lines: [{ sku: "a", qty: 1, tag: null }],
};

describe("the compiled coercion walk gives what the generic pass gives", () => {
  test.each([
    { name: "a valid value", value: valid },
    { name: "wrong-case enums", value: { ...valid, status: "OPEN", owner: { role: "In Progress" } } },
    { name: "an alias and a fallback", value: { ...valid, status: "new", owner: { role: "zzz" } } },
    { name: "scalars as text", value: { ...valid, count: "3", ok: "TRUE" } },
    { name: "a number for a nullable string", value: { ...valid, note: 5 } },
    { name: "a lone item for an array", value: { ...valid, lines: { sku: "b", qty: "2" } } },
    { name: "bad items", value: { ...valid, lines: [{ sku: 1, qty: "2", tag: null, x: 1 }, { sku: "c" }] } },
    { name: "a tuple", value: { ...valid, pair: ["1.5", "OTHER", "ignored"] } },
    { name: "additional properties", value: { ...valid, extra: { a: "1", b: 2 } } },
    { name: "an unknown and a forbidden key", value: { ...valid, zzz: 1, never: 2, status: "OPEN" } },
    { name: "missing properties", value: { status: "OPEN", lines: [] } },
    { name: "an unconstrained property", value: { ...valid, free: { any: "THING" } } },
    { name: "wrong container types", value: { ...valid, owner: "x", extra: [1], lines: null } },
    { name: "__proto__ as a key", value: JSON.parse('{"__proto__": 1, "status": "OPEN"}') },
    { name: "a non-object root", value: "OPEN" },
  ])("$name", ({ value }) => {
    for (const fillNulls of [true, false]) {
      const expected = generic(schema, value, fillNulls);
      const actual = planned(schema, value, fillNulls);
      expect(actual).toEqual(expected);
      expect(actual.out === value).toBe(expected.out === value);
    }
  });

  test("returns an unchanged value itself, not a copy", () => {
    expect(planned(schema, valid, true).out).toBe(valid);
  });
});

describe("compileCoercePlan leaves the generic pass to", () => {
  test.each([
    {
      name: "patternProperties",
      schema: { type: "object", patternProperties: { "^a": { type: "integer" } } },
    },
    { name: "recursion", schema: { type: "object", properties: { next: { $ref: "#" } } } },
    { name: "an unresolvable $ref", schema: { $ref: "#/$defs/missing" } },
    {
      name: "anyOf with two non-null branches",
      schema: { anyOf: [{ type: "string" }, { type: "integer" }] },
    },
    { name: "anyOf without a null branch", schema: { anyOf: [{ type: "string" }] } },
    { name: "mixed families on one node", schema: { type: ["object", "string"], properties: {} } },
    { name: "a boolean root", schema: true },
  ])("$name", ({ schema: s }) => {
    expect(compileCoercePlan(s as JsonSchema, 64)).toBeUndefined();
  });

  test("schemas nesting deeper than maxDepth", () => {
    const deep = { type: "object", properties: { a: { type: "object", properties: { b: true } } } };
    expect(compileCoercePlan(deep, 2)).toBeDefined();
    expect(compileCoercePlan(deep, 1)).toBeUndefined();
  });
});

describe("the parser with a compiled plan", () => {
  test("repairs as before and reports failures against the output as written", () => {
    const parser = createParser(schema);
    const fixed = parser.parse(JSON.stringify({ ...valid, status: "OPEN" }));
    expect(fixed).toMatchObject({ ok: true, track: "tolerant", data: { status: "open" } });
    const failed = parser.parse(JSON.stringify({ ...valid, status: "OPEN", count: "many" }));
    expect(failed.ok).toBe(false);
    if (failed.ok) return;
    expect(failed.repairs.map((r) => r.kind)).toEqual(["enum_case"]);
    expect(failed.issues.map((i) => [i.code, i.path])).toEqual([
      ["invalid_enum", "/status"],
      ["invalid_type", "/count"],
    ]);
  });
});
