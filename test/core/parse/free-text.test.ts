import { describe, expect, test } from "vitest";
import type { JsonObject, JsonSchema } from "../../../src/core/json.js";
import { checksStringsInline, MAX_INLINE_STRING_CHECKS } from "../../../src/core/parse/free-text.js";

function closed(properties: Record<string, JsonSchema>): JsonObject {
  return { type: "object", additionalProperties: false, required: Object.keys(properties), properties };
}

const manyStrings: Record<string, JsonSchema> = Object.fromEntries(
  Array.from({ length: MAX_INLINE_STRING_CHECKS + 1 }, (_, i) => [`s${i}`, { type: "string" }]),
);

describe("checksStringsInline", () => {
  test.each<[string, JsonSchema]>([
    [
      "a closed object with a few strings",
      closed({ a: { type: "string" }, b: { type: ["string", "null"] } }),
    ],
    ["enums and consts (the schema's own strings)", closed({ a: { enum: ["x", "y"] }, b: { const: "z" } })],
    [
      "numbers, booleans and nulls",
      closed({ a: { type: "integer" }, b: { type: "boolean" }, c: { type: "null" } }),
    ],
    ["the nullable idiom", closed({ a: { anyOf: [{ type: "string" }, { type: "null" }] } })],
    ["nested closed objects", closed({ a: closed({ b: { type: "string", maxLength: 9 } }) })],
    ["arrays of numbers", closed({ a: { type: "array", items: { type: "number" } } })],
    [
      "annotations",
      { ...closed({ a: { type: "string", "x-aliases": {} } }), description: "d" } as JsonSchema,
    ],
  ])("inline for %s", (_name, schema) => {
    expect(checksStringsInline(schema)).toBe(true);
  });

  test.each<[string, JsonSchema]>([
    ["an object open to other keys", { type: "object", properties: { a: { type: "string" } } }],
    ["additionalProperties as a schema", { type: "object", additionalProperties: { type: "number" } }],
    ["patternProperties", { ...closed({}), patternProperties: { "^x": { type: "number" } } } as JsonSchema],
    ["an array of strings", closed({ a: { type: "array", items: { type: "string" } } })],
    ["an array without items", closed({ a: { type: "array" } })],
    ["an untyped property", closed({ a: {} })],
    ["a true schema", closed({ a: true })],
    ["a $ref", { ...closed({ a: { $ref: "#/$defs/s" } }), $defs: { s: { type: "string" } } } as JsonSchema],
    ["not", closed({ a: { not: { type: "number" } } })],
    ["if/else", closed({ a: { type: "string", if: { minLength: 1 }, else: { maxLength: 3 } } })],
    ["too many free-text strings", closed(manyStrings)],
    ["a branch open to anything", closed({ a: { anyOf: [{ type: "string" }, {}] } })],
  ])("screens the text for %s", (_name, schema) => {
    expect(checksStringsInline(schema)).toBe(false);
  });
});
