import { describe, expect, test } from "vitest";
import type { JsonSchema } from "../../../src/core/json.js";
import { toProviderSchema } from "../../../src/core/schema/provider-form.js";

describe("toProviderSchema", () => {
  test("strips x- annotations and default where they are keywords", () => {
    const schema: JsonSchema = {
      type: "object",
      "x-owner": "team-a",
      properties: {
        status: {
          type: "string",
          enum: ["open", "closed"],
          default: "open",
          "x-aliases": { opened: "open" },
        },
      },
      $defs: { id: { type: "string", default: "" } },
      items: { default: 1 },
      anyOf: [{ default: null, type: "null" }],
    };
    expect(toProviderSchema(schema)).toEqual({
      type: "object",
      properties: { status: { type: "string", enum: ["open", "closed"] } },
      $defs: { id: { type: "string" } },
      items: {},
      anyOf: [{ type: "null" }],
    });
  });

  test("keeps properties NAMED default or x-foo", () => {
    const schema: JsonSchema = {
      type: "object",
      properties: { default: { type: "string" }, "x-foo": { type: "number" } },
      required: ["default", "x-foo"],
    };
    expect(toProviderSchema(schema)).toEqual(schema);
  });

  test("keeps data keywords as they are, even when they hold default or x- keys", () => {
    const schema: JsonSchema = {
      const: { default: 1, "x-a": 2 },
      enum: [{ default: true }],
      examples: [{ "x-b": 1 }],
    };
    expect(toProviderSchema(schema)).toEqual(schema);
  });

  test("walks every subschema keyword: maps, arrays and single schemas", () => {
    const strip = { type: "string", default: "d", "x-n": 1 };
    const kept = { type: "string" };
    const schema: JsonSchema = {
      patternProperties: { "^a": strip },
      additionalProperties: strip,
      not: strip,
      if: strip,
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then/else keyword
      then: strip,
      else: strip,
      prefixItems: [strip],
      allOf: [strip],
      oneOf: [strip],
      definitions: { d: strip },
      dependentSchemas: { a: strip },
      propertyNames: strip,
      contains: strip,
    };
    const out = toProviderSchema(schema) as Record<string, unknown>;
    expect(out).toEqual({
      patternProperties: { "^a": kept },
      additionalProperties: kept,
      not: kept,
      if: kept,
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then/else keyword
      then: kept,
      else: kept,
      prefixItems: [kept],
      allOf: [kept],
      oneOf: [kept],
      definitions: { d: kept },
      dependentSchemas: { a: kept },
      propertyNames: kept,
      contains: kept,
    });
  });

  test("keeps key order (OpenAI produces keys in schema order)", () => {
    const schema: JsonSchema = {
      type: "object",
      properties: { z: {}, a: {}, m: {} },
      required: ["z", "a", "m"],
    };
    const out = toProviderSchema(schema) as { properties: Record<string, unknown> };
    expect(Object.keys(out)).toEqual(["type", "properties", "required"]);
    expect(Object.keys(out.properties)).toEqual(["z", "a", "m"]);
  });

  test("does not mutate the input and shares nothing with it", () => {
    const schema = { type: "object", default: {}, properties: { a: { enum: [[1]] } } };
    const before = structuredClone(schema);
    const out = toProviderSchema(schema) as typeof schema;
    expect(schema).toEqual(before);
    expect(out.properties.a.enum).not.toBe(schema.properties.a.enum);
    expect(out.properties.a.enum[0]).not.toBe(schema.properties.a.enum[0]);
  });

  test("copies an own __proto__ key without touching prototypes", () => {
    const schema = JSON.parse(
      '{"properties": {"__proto__": {"type": "string", "default": "x"}}}',
    ) as JsonSchema;
    const out = toProviderSchema(schema) as { properties: Record<string, unknown> };
    expect(Object.hasOwn(out.properties, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(out.properties)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out.properties, "__proto__")?.value).toEqual({ type: "string" });
  });

  test("returns boolean schemas as they are", () => {
    expect(toProviderSchema(true)).toBe(true);
    expect(toProviderSchema(false)).toBe(false);
  });

  test("handles a 50,000-level nested schema without overflowing the stack", () => {
    let schema: JsonSchema = { type: "string", default: "" };
    for (let i = 0; i < 50_000; i++) schema = { items: schema, default: [] };
    let out = toProviderSchema(schema) as Record<string, unknown>;
    let levels = 0;
    while (out.items !== undefined) {
      expect(out).not.toHaveProperty("default");
      out = out.items as Record<string, unknown>;
      levels++;
    }
    expect(levels).toBe(50_000);
    expect(out).toEqual({ type: "string" });
  });
});
