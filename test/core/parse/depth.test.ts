import { describe, expect, test } from "vitest";
import type { JsonSchema } from "../../../src/core/json.js";
import { schemaDepthBound, textNestingExceeds, valueNestingExceeds } from "../../../src/core/parse/depth.js";
import { createParser } from "../../../src/core/parse/pipeline.js";

describe("schemaDepthBound", () => {
  test.each<{ name: string; schema: JsonSchema; bound: number }>([
    { name: "a scalar", schema: { type: "string" }, bound: 0 },
    {
      name: "a closed object with a typed array",
      schema: {
        type: "object",
        additionalProperties: false,
        properties: {
          a: { type: "array", items: { type: "integer" } },
          b: { anyOf: [{ type: "string" }, { type: "null" }] },
        },
      },
      bound: 2,
    },
    { name: "an open object", schema: { type: "object" }, bound: Number.POSITIVE_INFINITY },
    { name: "an untyped array", schema: { type: "array" }, bound: Number.POSITIVE_INFINITY },
    { name: "true", schema: true, bound: Number.POSITIVE_INFINITY },
    {
      name: "a recursive schema",
      schema: { type: "object", additionalProperties: false, properties: { child: { $ref: "#" } } },
      bound: Number.POSITIVE_INFINITY,
    },
  ])("bounds $name at $bound", ({ schema, bound }) => {
    expect(schemaDepthBound(schema)).toBe(bound);
  });
});

describe("nesting measures", () => {
  test("count brackets outside strings only", () => {
    expect(textNestingExceeds('{"a": "[[[[[[", "b": [[1]]}', 3)).toBe(false);
    expect(textNestingExceeds('{"a": [[[1]]]}', 3)).toBe(true);
  });

  test("measure values iteratively", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(valueNestingExceeds(deep, 64)).toBe(true);
    expect(valueNestingExceeds({ a: [{ b: 1 }] }, 3)).toBe(false);
  });
});

describe("accepted data respects maxDepth where the schema does not bound it", () => {
  const open = createParser({ type: "object" }, { maxDepth: 10 });
  const nested = (n: number) => `${'{"a":'.repeat(n - 1)}{}${"}".repeat(n - 1)}`;

  test("accepts nesting within the limit", () => {
    expect(open.parse(nested(10)).ok).toBe(true);
  });

  test("rejects deeper nesting on every track", () => {
    expect(open.parse(nested(11))).toMatchObject({ ok: false, reason: "too_deep" });
    expect(open.parse(JSON.parse(nested(11)))).toMatchObject({ ok: false, reason: "too_deep" });
    expect(open.parse(`Sure: ${nested(11)}`)).toMatchObject({ ok: false, reason: "too_deep" });
  });
});
