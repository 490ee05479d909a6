import { describe, expect, test } from "vitest";
import { isStructregError } from "../../../src/core/errors.js";
import type { JsonObject, JsonSchema } from "../../../src/core/json.js";
import type { Profile } from "../../../src/core/model.js";
import { lintSchema, PROFILE_RULES } from "../../../src/core/schema/lint.js";

/** A closed object schema with every property required: valid in strict mode. */
function obj(properties: Record<string, JsonSchema>, extra: JsonObject = {}): JsonObject {
  return {
    type: "object",
    properties,
    required: Object.keys(properties),
    additionalProperties: false,
    ...extra,
  };
}

const str: JsonObject = { type: "string" };

/** A root with one property `p` holding `schema`. */
function root(schema: JsonSchema): JsonObject {
  return obj({ p: schema });
}

function nestObjects(levels: number): JsonObject {
  let schema: JsonObject = obj({ leaf: str });
  for (let i = 1; i < levels; i++) schema = obj({ child: schema });
  return schema;
}

function manyProperties(count: number): JsonObject {
  return obj(Object.fromEntries(Array.from({ length: count }, (_, i) => [`p${i}`, str])));
}

function stringEnum(count: number, width: number): JsonObject {
  return { type: "string", enum: Array.from({ length: count }, (_, i) => String(i).padStart(width, "x")) };
}

// [rule code, failing schema, path of the problem, passing counterpart]
const CASES: Array<[string, JsonSchema, string, JsonSchema]> = [
  [
    "OPENAI_ROOT_NOT_OBJECT",
    { type: "array", items: str },
    "",
    obj({ items: { type: "array", items: str } }),
  ],
  ["OPENAI_ROOT_NOT_OBJECT", true, "", obj({})],
  [
    "OPENAI_ROOT_ANY_OF",
    obj({}, { anyOf: [obj({})] }),
    "/anyOf",
    root({ anyOf: [obj({}), { type: "null" }] }),
  ],
  ["OPENAI_ADDITIONAL_PROPERTIES", { ...obj({ a: str }), additionalProperties: true }, "", obj({ a: str })],
  [
    "OPENAI_ADDITIONAL_PROPERTIES",
    root({ type: "object", properties: {}, required: [] }),
    "/properties/p",
    root(obj({})),
  ],
  [
    "OPENAI_ADDITIONAL_PROPERTIES",
    obj({}, { $defs: { d: { type: "object", properties: {} } } }),
    "/$defs/d",
    obj({}, { $defs: { d: obj({}) } }),
  ],
  [
    "OPENAI_ADDITIONAL_PROPERTIES",
    root({ anyOf: [{ type: "object", properties: { a: str }, required: ["a"] }, { type: "null" }] }),
    "/properties/p/anyOf/0",
    root({ anyOf: [obj({ a: str }), { type: "null" }] }),
  ],
  [
    "OPENAI_ADDITIONAL_PROPERTIES",
    root({ type: "array", items: { type: "object", properties: {}, required: [] } }),
    "/properties/p/items",
    root({ type: "array", items: obj({}) }),
  ],
  [
    "OPENAI_NOT_REQUIRED",
    { ...obj({ a: str, b: str }), required: ["a"] },
    "/properties/b",
    obj({ a: str, b: { type: ["string", "null"] } }),
  ],
  ["OPENAI_UNSUPPORTED_KEYWORD", root({ allOf: [str] }), "/properties/p/allOf", root(str)],
  [
    "OPENAI_UNSUPPORTED_KEYWORD",
    root({ oneOf: [str, { type: "null" }] }),
    "/properties/p/oneOf",
    root({ anyOf: [str, { type: "null" }] }),
  ],
  [
    "OPENAI_UNSUPPORTED_KEYWORD",
    root({ type: "string", not: { const: "x" } }),
    "/properties/p/not",
    root(str),
  ],
  ["OPENAI_UNSUPPORTED_KEYWORD", root({ type: "string", if: str }), "/properties/p/if", root(str)],
  [
    "OPENAI_UNSUPPORTED_KEYWORD",
    obj({ a: str }, { dependentRequired: { a: ["a"] } }),
    "/dependentRequired",
    obj({ a: str }),
  ],
  [
    "OPENAI_UNSUPPORTED_KEYWORD",
    obj({}, { patternProperties: { "^x": str } }),
    "/patternProperties",
    obj({}),
  ],
  [
    "OPENAI_UNSUPPORTED_KEYWORD",
    obj({}, { unevaluatedProperties: false }),
    "/unevaluatedProperties",
    obj({}),
  ],
  [
    "OPENAI_UNSUPPORTED_KEYWORD",
    root({ type: "array", items: str, uniqueItems: true }),
    "/properties/p/uniqueItems",
    root({ type: "array", items: str, minItems: 1, maxItems: 3 }),
  ],
  [
    "OPENAI_UNSUPPORTED_FORMAT",
    root({ type: "string", format: "uri" }),
    "/properties/p/format",
    root({ type: "string", format: "date-time" }),
  ],
  ["OPENAI_MISSING_TYPE", root({}), "/properties/p", root({ enum: ["a", "b"] })],
  ["OPENAI_MISSING_TYPE", root(true), "/properties/p", root({ $ref: "#/$defs/x" })],
  ["OPENAI_LIMIT_PROPERTIES", manyProperties(5001), "", manyProperties(5000)],
  [
    "OPENAI_LIMIT_DEPTH",
    nestObjects(11),
    "/properties/child/properties/child/properties/child/properties/child/properties/child/properties/child/properties/child/properties/child/properties/child/properties/child",
    nestObjects(10),
  ],
  [
    "OPENAI_LIMIT_CHARS",
    root({ type: "string", enum: ["x".repeat(60_000), "y".repeat(60_000)] }),
    "",
    root({ type: "string", enum: ["x".repeat(60_000), "y".repeat(59_999)] }),
  ],
  [
    "OPENAI_LIMIT_CHARS",
    root({ type: "string", const: "c".repeat(120_000) }),
    "",
    root({ type: "string", const: "c".repeat(119_999) }),
  ],
  [
    "OPENAI_LIMIT_ENUM_VALUES",
    obj({ a: stringEnum(600, 1), b: stringEnum(401, 1) }),
    "",
    obj({ a: stringEnum(600, 1), b: stringEnum(400, 1) }),
  ],
  ["OPENAI_LIMIT_ENUM_CHARS", root(stringEnum(251, 60)), "/properties/p/enum", root(stringEnum(250, 70))],
];

describe("openai-strict lint", () => {
  test.each(CASES)(
    "%s fires at the offending path, and its counterpart passes",
    (code, failing, path, passing) => {
      const problems = lintSchema(failing, "openai-strict");
      expect(problems).toContainEqual(expect.objectContaining({ code, path, severity: "error" }));
      expect(lintSchema(passing, "openai-strict").filter((p) => p.code === code)).toEqual([]);
    },
  );

  test.each(CASES)("the counterpart for %s has no problems at all", (_code, _failing, _path, passing) => {
    expect(lintSchema(passing, "openai-strict")).toEqual([]);
  });

  test("warns (not errors) on a nullable enum that does not list null, and says to add it", () => {
    const problems = lintSchema(root({ type: ["string", "null"], enum: ["F", "C"] }), "openai-strict");
    expect(problems).toEqual([
      expect.objectContaining({
        code: "OPENAI_NULLABLE_ENUM",
        path: "/properties/p/enum",
        severity: "warning",
      }),
    ]);
    expect(problems[0]?.message).toMatch(/add null to the enum/);
    expect(lintSchema(root({ type: ["string", "null"], enum: ["F", "C", null] }), "openai-strict")).toEqual(
      [],
    );
  });

  test("warns on minLength/maxLength, which OpenAI does not document as enforced", () => {
    const problems = lintSchema(root({ type: "string", minLength: 1 }), "openai-strict");
    expect(problems).toEqual([
      expect.objectContaining({ code: "OPENAI_UNENFORCED_KEYWORD", severity: "warning" }),
    ]);
  });

  test("judges the schema as sent: default and x- annotations are stripped first", () => {
    const schema = root({ type: "string", default: "x", "x-aliases": { a: "b" } });
    expect(lintSchema(schema, "openai-strict")).toEqual([]);
  });

  test("accepts a recursive schema through $defs and #", () => {
    const schema = obj(
      { tree: { $ref: "#/$defs/node" } },
      { $defs: { node: obj({ value: str, children: { type: "array", items: { $ref: "#/$defs/node" } } }) } },
    );
    expect(lintSchema(schema, "openai-strict")).toEqual([]);
  });

  test("uses the limits passed in", () => {
    const limits = { providers: { "openai-strict": { maxProperties: 100, maxObjectDepth: 5 } } };
    const codes = (schema: JsonSchema) => lintSchema(schema, "openai-strict", limits).map((p) => p.code);
    expect(codes(manyProperties(101))).toEqual(["OPENAI_LIMIT_PROPERTIES"]);
    expect(codes(nestObjects(6))).toEqual(["OPENAI_LIMIT_DEPTH"]);
    expect(codes(nestObjects(5))).toEqual([]);
  });

  test("every message says what to change", () => {
    const problems = CASES.flatMap(([, failing]) => lintSchema(failing, "openai-strict"));
    for (const p of problems)
      expect(p.message).toMatch(
        /\b(set|add|use|remove|merge|replace|list|give|split|shorten|flatten|wrap|make)\b/i,
      );
  });

  test("does not mutate the schema", () => {
    const schema = root({ type: "string", default: "x" });
    const before = structuredClone(schema);
    lintSchema(schema, "openai-strict");
    expect(schema).toEqual(before);
  });

  test("answers a deeply nested schema without overflowing the stack", () => {
    let schema: JsonSchema = str;
    for (let i = 0; i < 10_000; i++) schema = { type: "array", items: schema };
    expect(lintSchema(obj({ deep: schema }), "openai-strict")).toEqual([]);
  });
});

describe("profiles", () => {
  test("json-schema has no provider rules", () => {
    expect(PROFILE_RULES["json-schema"]).toEqual([]);
    expect(lintSchema({ type: "array", allOf: [{}], format: "uri" }, "json-schema")).toEqual([]);
  });

  test("an unknown profile is SR_INVALID_PROFILE", () => {
    let caught: unknown;
    try {
      lintSchema(obj({}), "gemini" as Profile);
    } catch (err) {
      caught = err;
    }
    expect(isStructregError(caught) && caught.code).toBe("SR_INVALID_PROFILE");
  });
});
