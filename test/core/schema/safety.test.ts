import { describe, expect, test } from "vitest";
import type { JsonSchema } from "../../../src/core/json.js";
import { resolveLimits } from "../../../src/core/schema/limits.js";
import {
  checkSchemaSafety,
  checkSchemaSize,
  findRemoteRefs,
  findUnsafePatterns,
  measureDepth,
  utf8ByteLength,
} from "../../../src/core/schema/safety.js";

const LIMITS = resolveLimits();

function nested(levels: number): JsonSchema {
  let schema: JsonSchema = { type: "string" };
  for (let i = 0; i < levels; i++) schema = { type: "array", items: schema };
  return schema;
}

describe("size", () => {
  test("counts UTF-8 bytes, not UTF-16 units", () => {
    expect(utf8ByteLength("é😀")).toBe(6);
  });

  test("refuses a text above maxSchemaBytes and accepts one at the limit", () => {
    const limits = resolveLimits({ maxSchemaBytes: 10 });
    expect(checkSchemaSize("é".repeat(5), limits)).toBeUndefined();
    expect(checkSchemaSize("é".repeat(6), limits)?.code).toBe("SR_SCHEMA_TOO_LARGE");
  });
});

describe("depth", () => {
  test.each<[unknown, number]>([
    [1, 0],
    [{}, 1],
    [[[]], 2],
    [{ a: [{ b: {} }] }, 4],
  ])("measures %j as %i levels", (value, depth) => {
    expect(measureDepth(value)).toBe(depth);
  });

  test("answers a 10,000-level document as too deep instead of crashing", () => {
    const failure = checkSchemaSafety(nested(10_000), LIMITS);
    expect(failure?.code).toBe("SR_SCHEMA_TOO_DEEP");
  });

  test("stops early on a cyclic value", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(measureDepth(cyclic, 64)).toBe(65);
  });

  test("accepts a document at the depth limit and refuses one level more", () => {
    // 63 array schemas around a string schema: 64 nested objects.
    expect(measureDepth(nested(63))).toBe(64);
    expect(checkSchemaSafety(nested(63), LIMITS)).toBeUndefined();
    expect(checkSchemaSafety(nested(64), LIMITS)?.code).toBe("SR_SCHEMA_TOO_DEEP");
  });
});

describe("remote references", () => {
  test.each<[string, JsonSchema]>([
    ["an https URL", { $ref: "https://evil.example/x.json" }],
    ["a relative file", { $ref: "other.json#/a" }],
    ["a protocol-relative URL", { $ref: "//evil.example/x" }],
    ["a URL nested in properties", { properties: { a: { $ref: "http://x.example/a" } } }],
    ["a file URL", { $ref: "file:///etc/passwd" }],
    ["a remote $dynamicRef", { $dynamicRef: "https://evil.example/x#meta" }],
    ["a sibling of the document's $id", { $id: "https://example.com/a.json", $ref: "b.json" }],
  ])("finds %s", (_name, schema) => {
    expect(findRemoteRefs(schema)).toHaveLength(1);
    expect(checkSchemaSafety(schema, LIMITS)?.code).toBe("SR_REMOTE_REF");
  });

  test.each<[string, JsonSchema]>([
    ["a JSON pointer", { $defs: { a: { type: "string" } }, $ref: "#/$defs/a" }],
    ["the root", { anyOf: [{ type: "null" }, { $ref: "#" }] }],
    ["an anchor", { $defs: { a: { $anchor: "A" } }, $ref: "#A" }],
    [
      "the document's own $id",
      { $id: "https://example.com/s.json", $ref: "https://example.com/s.json#/$defs/a", $defs: { a: {} } },
    ],
    [
      "an embedded $id, relative to the base",
      { $id: "https://example.com/root.json", $defs: { b: { $id: "b.json" } }, $ref: "b.json" },
    ],
  ])("accepts a reference to %s", (_name, schema) => {
    expect(findRemoteRefs(schema)).toEqual([]);
  });

  test("never reads a $ref-looking value inside data keywords", () => {
    expect(findRemoteRefs({ enum: [{ $ref: "https://evil.example" }], const: { $ref: "http://x" } })).toEqual(
      [],
    );
  });

  test("reports the path of the reference", () => {
    expect(findRemoteRefs({ properties: { "a/b": { $ref: "https://x.example" } } })).toEqual([
      { path: "/properties/a~1b/$ref", ref: "https://x.example" },
    ]);
  });
});

describe("patterns", () => {
  test("refuses a pattern RE2 cannot run, naming its path, the reason and what to do", () => {
    const failure = checkSchemaSafety({ properties: { a: { pattern: "^(a+)\\1$" } } }, LIMITS);
    expect(failure).toMatchObject({ code: "SR_UNSAFE_PATTERN", path: "/properties/a/pattern" });
    expect(failure?.message).toContain("at /properties/a/pattern");
    expect(failure?.message).toContain("backreference");
    expect(failure?.hint).toMatch(/without backreferences or lookaround/);
  });

  test("accepts nested quantifiers and overlapping alternatives: RE2 runs them in linear time", () => {
    const schema: JsonSchema = { pattern: "(a+)+$", patternProperties: { "^(?:\\w|[a-z_]|[^-]|.)*-$": {} } };
    expect(findUnsafePatterns(schema)).toEqual([]);
  });

  test.each([
    ["a(?=b)", "lookahead"],
    ["(?<!a)b", "lookbehind"],
    ["(a)\\1", "backreference"],
    ["\\p{Emoji}", "Unicode property"],
    ["a{1001}", "repeat count"],
  ])("refuses the patternProperties key %s (%s), with its path", (pattern, why) => {
    const [found] = findUnsafePatterns({ patternProperties: { [pattern]: {} } });
    expect(found).toMatchObject({ path: `/patternProperties/${pattern}`, pattern, reason: "unsupported" });
    expect(found?.detail).toContain(why);
  });

  test.each(["[", "\\p{NotAProperty}", "a{", "(?<n>a)\\k<m>"])(
    "refuses %s, not a valid u-flag RegExp",
    (pattern) => {
      expect(findUnsafePatterns({ items: { pattern } })).toMatchObject([
        { path: "/items/pattern", pattern, reason: "invalid" },
      ]);
    },
  );

  test("accepts ordinary patterns anywhere in the schema", () => {
    const schema: JsonSchema = {
      properties: { zip: { type: "string", pattern: "^\\d{5}(-\\d{4})?$" } },
      $defs: { slug: { pattern: "^[a-z0-9-]+$" } },
    };
    expect(findUnsafePatterns(schema)).toEqual([]);
  });

  test("ignores a property NAMED pattern and pattern-like data", () => {
    const schema: JsonSchema = {
      properties: { pattern: { type: "string" } },
      examples: [{ pattern: "(a+)+" }],
    };
    expect(findUnsafePatterns(schema)).toEqual([]);
  });
});

test("checks depth before references and references before patterns", () => {
  expect(checkSchemaSafety({ $ref: "https://x.example", pattern: "(a+)+" }, LIMITS)?.code).toBe(
    "SR_REMOTE_REF",
  );
  const deep = nested(100) as Record<string, unknown>;
  deep.$ref = "https://x.example";
  expect(checkSchemaSafety(deep as JsonSchema, LIMITS)?.code).toBe("SR_SCHEMA_TOO_DEEP");
});
