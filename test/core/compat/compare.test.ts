import { describe, expect, test } from "vitest";
import { compareSchemas } from "../../../src/core/compat/compare.js";
import { isStructregError } from "../../../src/core/errors.js";
import type { JsonObject, JsonSchema } from "../../../src/core/json.js";

const kinds = (list: Array<{ kind: string; path: string }>) =>
  list.map((d) => `${d.kind} ${d.path}`.trimEnd()).sort();

function closed(properties: JsonObject, required: string[] = Object.keys(properties)): JsonObject {
  return { type: "object", properties, required, additionalProperties: false };
}

describe("compareSchemas", () => {
  test("judges both directions: backward reads old data with the new schema", () => {
    const result = compareSchemas({ type: "integer" }, { type: "number" });
    expect(result.backward).toBe(true);
    expect(result.forward).toBe(false);
    expect(kinds(result.differences.backward)).toEqual(["TYPE_EXTENDED"]);
    expect(kinds(result.differences.forward)).toEqual(["TYPE_NARROWED"]);
  });

  test("identical schemas have no differences", () => {
    const schema = closed({ a: { type: "string" }, b: { type: "array", items: { type: "number" } } });
    expect(compareSchemas(schema, structuredClone(schema))).toEqual({
      backward: true,
      forward: true,
      differences: { backward: [], forward: [] },
    });
  });

  test("rejects a required property added to a closed object", () => {
    const result = compareSchemas(
      closed({ a: { type: "string" } }),
      closed({ a: { type: "string" }, b: { type: "string" } }),
    );
    expect(result.backward).toBe(false);
    expect(kinds(result.differences.backward)).toEqual([
      "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL /properties/b",
    ]);
  });

  test("accepts a required property added with a default", () => {
    const result = compareSchemas(
      closed({ a: { type: "string" } }),
      closed({ a: { type: "string" }, b: { type: "string", default: "x" } }),
    );
    expect(result.backward).toBe(true);
    expect(kinds(result.differences.backward)).toEqual([
      "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL /properties/b",
    ]);
  });

  test("rejects a removed required property from a closed object (forward direction of an addition)", () => {
    const result = compareSchemas(
      closed({ a: { type: "string" }, b: { type: "string" } }),
      closed({ a: { type: "string" } }),
    );
    expect(result.backward).toBe(false);
    expect(kinds(result.differences.backward)).toEqual([
      "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL /properties/b",
    ]);
  });

  test("judges a string enum as string + enum: narrowing is COMBINED_TYPE_SUBSCHEMAS_CHANGED", () => {
    const oldSchema = closed({ status: { type: "string", enum: ["open", "closed", "stale"] } });
    const newSchema = closed({ status: { type: "string", enum: ["open", "closed"] } });
    const result = compareSchemas(oldSchema, newSchema);
    expect(result.backward).toBe(false);
    expect(kinds(result.differences.backward)).toEqual([
      "COMBINED_TYPE_SUBSCHEMAS_CHANGED /properties/status",
    ]);
    expect(result.forward).toBe(true);
    expect(kinds(result.differences.forward)).toEqual(["ENUM_ARRAY_EXTENDED /properties/status/enum"]);
  });

  test.each([
    ["a plain enum narrowed", { enum: ["a", "b"] }, { enum: ["a"] }, "ENUM_ARRAY_NARROWED /enum", false],
    ["a plain enum extended", { enum: ["a"] }, { enum: ["a", "b"] }, "ENUM_ARRAY_EXTENDED /enum", true],
    ["a plain enum changed", { enum: ["a"] }, { enum: ["b"] }, "ENUM_ARRAY_CHANGED /enum", false],
    ["a const changed", { const: "a" }, { const: "b" }, "ENUM_ARRAY_CHANGED /const", false],
    [
      "a pattern edited",
      { type: "string", pattern: "^a" },
      { type: "string", pattern: "^a|b" },
      "PATTERN_CHANGED /pattern",
      false,
    ],
    [
      "a pattern added",
      { type: "string" },
      { type: "string", pattern: "^a" },
      "PATTERN_ADDED /pattern",
      false,
    ],
    [
      "oneOf changed to anyOf",
      { oneOf: [{ type: "string" }] },
      { anyOf: [{ type: "string" }] },
      "COMBINED_TYPE_EXTENDED",
      true,
    ],
    [
      "null added through a type array",
      { type: "string" },
      { type: ["string", "null"] },
      "SUM_TYPE_EXTENDED",
      true,
    ],
    [
      "null removed from a type array",
      { type: ["string", "null"] },
      { type: "string" },
      "TYPE_CHANGED",
      false,
    ],
    ["a change to the empty schema", { type: "string", maxLength: 3 }, {}, undefined, true],
    ["a change to true", { type: "object", properties: { a: { type: "string" } } }, true, undefined, true],
    ["a change from false", false, { type: "string" }, undefined, true],
    ["a change from the empty schema", {}, { type: "string" }, "TYPE_CHANGED", false],
    [
      "a multipleOf of fractions reduced",
      { type: "number", multipleOf: 0.5 },
      { type: "number", multipleOf: 0.25 },
      "MULTIPLE_OF_REDUCED /multipleOf",
      true,
    ],
    [
      "a minItems added",
      { type: "array" },
      { type: "array", minItems: 1 },
      "MIN_ITEMS_ADDED /minItems",
      false,
    ],
    [
      "a maxContains increased",
      { type: "array", maxContains: 1 },
      { type: "array", maxContains: 2 },
      "MAX_CONTAINS_INCREASED /maxContains",
      true,
    ],
    [
      "unevaluatedProperties set to false",
      { type: "object" },
      { type: "object", unevaluatedProperties: false },
      "UNEVALUATED_PROPERTIES_REMOVED /unevaluatedProperties",
      false,
    ],
  ] as Array<[string, JsonSchema, JsonSchema, string | undefined, boolean]>)(
    "reports %s",
    (_name, oldSchema, newSchema, expected, compatible) => {
      const result = compareSchemas(oldSchema, newSchema);
      expect(kinds(result.differences.backward)).toEqual(expected === undefined ? [] : [expected]);
      expect(result.backward).toBe(compatible);
    },
  );

  test("never reports x- annotations", () => {
    const oldSchema = closed({ s: { type: "string", enum: ["a"], "x-aliases": { a: ["A"] } } });
    const newSchema = closed({
      s: { type: "string", enum: ["a"], "x-aliases": { a: ["A", "aa"] }, "x-enum-fallback": "a" },
    });
    const withAnyOf = (s: JsonObject): JsonObject => ({ anyOf: [s, { type: "null", "x-note": "n" }] });
    expect(compareSchemas(oldSchema, newSchema).differences).toEqual({ backward: [], forward: [] });
    expect(compareSchemas(withAnyOf(oldSchema), withAnyOf(newSchema)).differences).toEqual({
      backward: [],
      forward: [],
    });
  });

  test("LENIENT accepts an optional property added to an open object; STRICT does not", () => {
    const oldSchema = { type: "object", properties: { a: { type: "string" } } };
    const newSchema = { type: "object", properties: { a: { type: "string" }, b: { type: "string" } } };
    expect(compareSchemas(oldSchema, newSchema).backward).toBe(false);
    const lenient = compareSchemas(oldSchema, newSchema, { policy: "LENIENT" });
    expect(lenient.backward).toBe(true);
    expect(kinds(lenient.differences.backward)).toEqual([
      "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL /properties/b",
    ]);
  });

  test("reads 2020-12 tuples (prefixItems + items)", () => {
    const oldSchema = { type: "array", prefixItems: [{ type: "string" }], items: false };
    const newSchema = { type: "array", prefixItems: [{ type: "string" }, { type: "number" }], items: false };
    const result = compareSchemas(oldSchema, newSchema);
    expect(kinds(result.differences.backward)).toEqual(["ITEM_ADDED_TO_CLOSED_CONTENT_MODEL /prefixItems/1"]);
    expect(kinds(result.differences.forward)).toEqual([
      "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL /prefixItems/1",
    ]);
  });
});

describe("compareSchemas with references", () => {
  test("resolves $defs and definitions, with ~0, ~1 and percent-encoding in the pointer", () => {
    const defs = (t: string): JsonObject => ({
      $defs: { "a/b": { type: t }, "c~d": { $ref: "#/definitions/e%20f" } },
      definitions: { "e f": { type: t } },
      type: "object",
      properties: { x: { $ref: "#/$defs/a~1b" }, y: { $ref: "#/$defs/c~0d" } },
    });
    expect(compareSchemas(defs("string"), defs("string")).differences.backward).toEqual([]);
    expect(kinds(compareSchemas(defs("string"), defs("number")).differences.backward)).toEqual([
      "TYPE_CHANGED /properties/x",
      "TYPE_CHANGED /properties/y",
    ]);
  });

  test("reports an unresolvable $ref as a difference instead of crashing", () => {
    const oldSchema = { type: "object", properties: { x: { type: "string" } } };
    const newSchema = { type: "object", properties: { x: { $ref: "#/$defs/missing" } } };
    const result = compareSchemas(oldSchema, newSchema);
    expect(result.backward).toBe(false);
    expect(kinds(result.differences.backward)).toEqual(["REFERENCE_UNRESOLVED /properties/x"]);
  });

  test("terminates on a $ref cycle that never reaches a schema", () => {
    const result = compareSchemas({ $ref: "#" }, { $ref: "#/$defs/a", $defs: { a: { $ref: "#" } } });
    expect(kinds(result.differences.backward)).toEqual(["REFERENCE_UNRESOLVED"]);
  });

  test("terminates on recursive schemas and still finds changes inside the cycle", () => {
    const tree = (leaf: string): JsonObject => ({
      $defs: {
        node: {
          type: "object",
          properties: { value: { type: leaf }, children: { type: "array", items: { $ref: "#/$defs/node" } } },
        },
      },
      $ref: "#/$defs/node",
    });
    expect(compareSchemas(tree("string"), tree("string")).differences).toEqual({ backward: [], forward: [] });
    const changed = compareSchemas(tree("integer"), tree("number"));
    expect(kinds(changed.differences.backward)).toEqual(["TYPE_EXTENDED /properties/value"]);
    expect(changed.forward).toBe(false);
  });

  test("does not let a recursive oneOf hide an incompatible change (Confluent's memo-masking case)", () => {
    const node = (idType: string, target: string): JsonObject => ({
      type: "object",
      additionalProperties: true,
      properties: { id: { type: idType }, ref: { oneOf: [{ $ref: `#/definitions/${target}` }] } },
    });
    const schema = (t0: string, t1: string): JsonObject => ({
      type: "object",
      additionalProperties: true,
      definitions: { T0: node(t0, "T2"), T1: node(t1, "T2"), T2: node("integer", "T0") },
      properties: { root: { oneOf: [{ $ref: "#/definitions/T0" }, { $ref: "#/definitions/T1" }] } },
    });
    expect(compareSchemas(schema("integer", "boolean"), schema("boolean", "number")).backward).toBe(false);
  });

  test("compares a wide recursive union (12 mutually recursive types) without blowing up", () => {
    const types = [
      "Asset",
      "Basket",
      "Swap",
      "Bond",
      "Option",
      "Future",
      "Forward",
      "Loan",
      "Repo",
      "Equity",
      "Index",
      "Leg",
    ];
    const union = (): JsonObject => ({ oneOf: types.map((t) => ({ $ref: `#/definitions/${t}` })) });
    const schema = (idType: string): JsonObject => ({
      type: "object",
      definitions: Object.fromEntries(
        types.map((t) => [
          t,
          {
            type: "object",
            properties: {
              id: { type: t === "Asset" ? idType : "string" },
              underlying: union(),
              ref: union(),
            },
          },
        ]),
      ),
      properties: { product: union() },
    });
    expect(compareSchemas(schema("string"), schema("string")).differences).toEqual({
      backward: [],
      forward: [],
    });
    expect(compareSchemas(schema("string"), schema("number")).backward).toBe(false);
  });
});

describe("compareSchemas on deep input", () => {
  test("walks 500 nested object levels and finds the change at the bottom", () => {
    const nest = (leaf: string): JsonObject => {
      let schema: JsonObject = { type: leaf };
      for (let i = 0; i < 500; i++) schema = { type: "object", properties: { a: schema } };
      return schema;
    };
    const [difference] = compareSchemas(nest("integer"), nest("number")).differences.backward;
    expect(difference?.kind).toBe("TYPE_EXTENDED");
    expect(difference?.path).toBe("/properties/a".repeat(500));
  });

  test("turns a stack overflow on 10,000 nested levels into SR_SCHEMA_TOO_DEEP, or finishes", () => {
    const nest = (leaf: string): JsonSchema => {
      let schema: JsonObject = { type: leaf };
      for (let i = 0; i < 10_000; i++) schema = { type: "object", properties: { a: schema } };
      return schema;
    };
    let outcome: unknown;
    try {
      outcome = compareSchemas(nest("string"), nest("number")).backward;
    } catch (err) {
      outcome = err;
    }
    if (outcome === false) return;
    expect(isStructregError(outcome) && outcome.code).toBe("SR_SCHEMA_TOO_DEEP");
  });
});
