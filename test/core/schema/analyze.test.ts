import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import type { JsonSchema } from "../../../src/core/json.js";
import type { Profile } from "../../../src/core/model.js";
import { type AnalyzeOptions, analyzeSchema } from "../../../src/core/schema/analyze.js";

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");
const STRICT: AnalyzeOptions = { profile: "openai-strict", sha256 };
const PLAIN: AnalyzeOptions = { profile: "json-schema", sha256 };

const TICKET = {
  type: "object",
  properties: {
    title: { type: "string", "x-aliases": { name: "title" } },
    priority: { type: "string", enum: ["low", "high"], default: "low" },
  },
  required: ["title", "priority"],
  additionalProperties: false,
};

function deepText(levels: number): string {
  return `${'{"items":'.repeat(levels)}{}${"}".repeat(levels)}`;
}

describe("analyzeSchema accepts", () => {
  test("a strict-mode schema, with canonical text and sha256 fingerprint", () => {
    const result = analyzeSchema(JSON.stringify(TICKET, null, 2), STRICT);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.schema).toEqual(TICKET);
    expect(result.canonical).toBe(
      '{"additionalProperties":false,"properties":{"priority":{"default":"low","enum":["low","high"],"type":"string"},"title":{"type":"string","x-aliases":{"name":"title"}}},"required":["title","priority"],"type":"object"}',
    );
    expect(result.fingerprint).toBe(sha256(result.canonical));
    expect(result.lint).toEqual([]);
  });

  test("the same schema given as text or as an object, in any key order, with one fingerprint", () => {
    const reordered = Object.fromEntries(Object.entries(TICKET).reverse()) as JsonSchema;
    expect(Object.keys(reordered)[0]).toBe("additionalProperties");
    const a = analyzeSchema(TICKET, STRICT);
    const b = analyzeSchema(JSON.stringify(reordered), STRICT);
    expect(a.ok && b.ok && a.fingerprint === b.fingerprint).toBe(true);
  });

  test("a schema with lint warnings only, returning the warnings", () => {
    const schema = {
      ...TICKET,
      properties: { ...TICKET.properties, unit: { type: ["string", "null"], enum: ["F", "C"] } },
      required: [...TICKET.required, "unit"],
    };
    const result = analyzeSchema(schema, STRICT);
    expect(result).toMatchObject({ ok: true, lint: [{ code: "OPENAI_NULLABLE_ENUM", severity: "warning" }] });
  });

  test.each([true, false])("the boolean schema %s under json-schema", (schema) => {
    expect(analyzeSchema(JSON.stringify(schema), PLAIN)).toMatchObject({
      ok: true,
      canonical: String(schema),
    });
  });

  test.each([undefined, "JSON", "json"])("schemaType %s", (schemaType) => {
    const options: AnalyzeOptions = schemaType === undefined ? STRICT : { ...STRICT, schemaType };
    expect(analyzeSchema(TICKET, options).ok).toBe(true);
  });

  test("a draft-07 schema (the dialect $schema names)", () => {
    const schema = {
      $schema: "http://json-schema.org/draft-07/schema#",
      type: "object",
      definitions: { a: { type: "string" } },
    };
    expect(analyzeSchema(schema, PLAIN).ok).toBe(true);
  });
});

describe("analyzeSchema refuses", () => {
  test.each<[string, string | JsonSchema, Partial<AnalyzeOptions>, string, RegExp]>([
    ["an Avro schema", '{"type": "record"}', { schemaType: "AVRO" }, "SR_UNSUPPORTED_SCHEMA_TYPE", /AVRO/],
    ["a Protobuf schema", "syntax = 1", { schemaType: "PROTOBUF" }, "SR_UNSUPPORTED_SCHEMA_TYPE", /PROTOBUF/],
    [
      "text over the size limit",
      JSON.stringify({ description: "x".repeat(200) }),
      { limits: { maxSchemaBytes: 100 } },
      "SR_SCHEMA_TOO_LARGE",
      /limit is 100/,
    ],
    ["text that is not JSON", '{"type": ', {}, "SR_INVALID_SCHEMA", /not valid JSON/],
    ["JSON that is an array", "[1]", {}, "SR_INVALID_SCHEMA", /object or a boolean/],
    ["JSON that is a string", '"x"', {}, "SR_INVALID_SCHEMA", /object or a boolean/],
    ["a 10,000-level nested schema", deepText(10_000), {}, "SR_SCHEMA_TOO_DEEP", /deeper than 64/],
    ["a remote $ref", '{"$ref": "https://evil.example/x.json"}', {}, "SR_REMOTE_REF", /evil\.example/],
    ["a pattern RE2 cannot run", '{"pattern": "(?<=a)b"}', {}, "SR_UNSAFE_PATTERN", /\(\?<=a\)b.*lookbehind/],
    ["a type that is not a type", '{"type": 12}', {}, "SR_INVALID_SCHEMA", /type/],
    ["an unresolvable local $ref", '{"$ref": "#/$defs/missing"}', {}, "SR_INVALID_SCHEMA", /missing/],
    [
      "an unknown dialect",
      '{"$schema": "https://json-schema.org/draft/2019-09/schema"}',
      {},
      "SR_INVALID_SCHEMA",
      /2019-09/,
    ],
  ])("%s", (_name, input, options, code, message) => {
    const result = analyzeSchema(input, { ...PLAIN, ...options });
    expect(result).toMatchObject({ ok: false, code, lint: [] });
    expect(result.ok || result.message).toMatch(message);
  });

  test("a 10,000-level nested schema given as an object, before serialising it", () => {
    let schema: JsonSchema = {};
    for (let i = 0; i < 10_000; i++) schema = { items: schema };
    expect(analyzeSchema(schema, PLAIN)).toMatchObject({ ok: false, code: "SR_SCHEMA_TOO_DEEP" });
  });

  test("a cyclic object", () => {
    const cyclic: Record<string, unknown> = { type: "object" };
    cyclic.properties = { self: cyclic };
    expect(analyzeSchema(cyclic as JsonSchema, PLAIN)).toMatchObject({
      ok: false,
      code: "SR_SCHEMA_TOO_DEEP",
    });
  });

  test("an object that is not JSON (a BigInt)", () => {
    const schema = { maximum: 10n } as unknown as JsonSchema;
    expect(analyzeSchema(schema, PLAIN)).toMatchObject({ ok: false, code: "SR_INVALID_SCHEMA" });
  });

  test("a schema breaking strict mode, listing every problem and what to do", () => {
    const schema = {
      type: "object",
      properties: { a: { type: "string" }, b: { type: "string", format: "uri" } },
    };
    const result = analyzeSchema(schema, STRICT);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe("SR_LINT_FAILED");
    expect(result.lint.map((p) => p.code)).toEqual([
      "OPENAI_ADDITIONAL_PROPERTIES",
      "OPENAI_NOT_REQUIRED",
      "OPENAI_NOT_REQUIRED",
      "OPENAI_UNSUPPORTED_FORMAT",
    ]);
    expect(result.message).toMatch(/4 openai-strict rule/);
    expect(result.hint).toMatch(/json-schema/);
  });

  test("the same schema is accepted under the json-schema profile", () => {
    const schema = { type: "object", properties: { a: { type: "string" } } };
    expect(analyzeSchema(schema, PLAIN).ok).toBe(true);
  });

  test("an unknown profile as a value, not a throw", () => {
    const result = analyzeSchema(TICKET, { profile: "gemini" as Profile, sha256 });
    expect(result).toMatchObject({ ok: false, code: "SR_INVALID_PROFILE" });
  });

  test("in order: size before syntax, syntax before depth, refs before patterns before compile", () => {
    const small = { ...PLAIN, limits: { maxSchemaBytes: 5 } };
    expect(analyzeSchema("{not json at all", small)).toMatchObject({ code: "SR_SCHEMA_TOO_LARGE" });
    expect(analyzeSchema('{"$ref": "http://x.example", "pattern": "(?=a)", "type": 1}', PLAIN)).toMatchObject(
      { code: "SR_REMOTE_REF" },
    );
    expect(analyzeSchema('{"pattern": "(?=a)", "type": 1}', PLAIN)).toMatchObject({
      code: "SR_UNSAFE_PATTERN",
    });
  });
});

test("does not mutate an object input", () => {
  const schema = structuredClone(TICKET);
  analyzeSchema(schema, STRICT);
  expect(schema).toEqual(TICKET);
});
