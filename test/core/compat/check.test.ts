import { describe, expect, test } from "vitest";
import { checkCompatibility } from "../../../src/core/compat/check.js";
import { FIXES } from "../../../src/core/compat/fixes.js";
import type { JsonObject } from "../../../src/core/json.js";
import { COMPATIBILITY_LEVELS, type CompatibilityLevel } from "../../../src/core/model.js";

function closed(properties: JsonObject): JsonObject {
  return { type: "object", properties, required: Object.keys(properties), additionalProperties: false };
}

const v1 = closed({ status: { type: "string", enum: ["open", "closed"] } });
const v2 = closed({ status: { type: "string", enum: ["open", "closed", "stale"] } });
// v3 drops "closed": old data from v1 and v2 may hold it.
const v3 = closed({ status: { type: "string", enum: ["open", "stale"] } });

describe("checkCompatibility", () => {
  test.each(COMPATIBILITY_LEVELS.map((level) => [level]))(
    "%s is compatible with no earlier versions",
    (level) => {
      expect(checkCompatibility({ level, schema: v1, previous: [] })).toEqual({
        isCompatible: true,
        messages: [],
        differences: [],
      });
    },
  );

  test("NONE accepts anything", () => {
    const result = checkCompatibility({
      level: "NONE",
      schema: { type: "number" },
      previous: [{ version: 1, schema: v1 }],
    });
    expect(result.isCompatible).toBe(true);
  });

  test.each([
    // [level, schema, previous versions, compatible]
    ["BACKWARD", v2, [v1], true],
    ["BACKWARD", v1, [v2], false],
    ["FORWARD", v1, [v2], true],
    ["FORWARD", v2, [v1], false],
    ["FULL", v2, [v1], false],
    ["FULL", v1, [structuredClone(v1)], true],
    // Without _TRANSITIVE only the latest version counts (v1 here); transitive forms also meet v2.
    ["BACKWARD", v2, [v2, v1], true],
    ["BACKWARD_TRANSITIVE", v1, [v2, v1], false],
    ["FORWARD_TRANSITIVE", v2, [v2, v1], false],
    ["FULL_TRANSITIVE", v1, [v1, v1], true],
  ] as Array<[CompatibilityLevel, JsonObject, JsonObject[], boolean]>)(
    "%s judges against the right versions (case %#)",
    (level, schema, previous, compatible) => {
      const result = checkCompatibility({
        level,
        schema,
        previous: previous.map((s, i) => ({ version: i + 1, schema: s })),
      });
      expect(result.isCompatible).toBe(compatible);
      expect(result.messages.length).toBe(result.differences.length);
    },
  );

  test("lists only offending differences, with version, direction and fix", () => {
    const result = checkCompatibility({
      level: "BACKWARD_TRANSITIVE",
      schema: v3,
      previous: [
        { version: 1, schema: v1 },
        { version: 2, schema: v2 },
      ],
    });
    expect(result.isCompatible).toBe(false);
    expect(result.differences).toEqual([
      {
        kind: "COMBINED_TYPE_SUBSCHEMAS_CHANGED",
        path: "/properties/status",
        version: 1,
        direction: "backward",
        fix: FIXES.COMBINED_TYPE_SUBSCHEMAS_CHANGED,
      },
      {
        kind: "COMBINED_TYPE_SUBSCHEMAS_CHANGED",
        path: "/properties/status",
        version: 2,
        direction: "backward",
        fix: FIXES.COMBINED_TYPE_SUBSCHEMAS_CHANGED,
      },
    ]);
    const [message] = result.messages;
    expect(message).toContain("COMBINED_TYPE_SUBSCHEMAS_CHANGED");
    expect(message).toContain("/properties/status");
    expect(message).toContain("version 1");
    expect(message).toContain("backward");
    expect(message).toContain("keep the removed enum values");
  });

  test("names the fix for a new required property", () => {
    const result = checkCompatibility({
      level: "FULL",
      schema: closed({ a: { type: "string" }, b: { type: "string" } }),
      previous: [{ version: 7, schema: closed({ a: { type: "string" } }) }],
    });
    const backward = result.differences.find((d) => d.direction === "backward");
    expect(backward).toMatchObject({
      kind: "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL",
      path: "/properties/b",
      version: 7,
      fix: "give the new required property a default, or make it optional",
    });
    expect(result.differences.find((d) => d.direction === "forward")).toMatchObject({
      kind: "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL",
    });
  });

  test("a narrowed plain enum names the fix", () => {
    const result = checkCompatibility({
      level: "BACKWARD",
      schema: { enum: ["a"] },
      previous: [{ version: 1, schema: { enum: ["a", "b"] } }],
    });
    expect(result.differences).toEqual([
      {
        kind: "ENUM_ARRAY_NARROWED",
        path: "/enum",
        version: 1,
        direction: "backward",
        fix: "keep the removed enum values",
      },
    ]);
    expect(result.messages[0]).toContain("the new schema");
  });

  test("the policy decides: LENIENT accepts an optional property added to an open object", () => {
    const input = {
      level: "BACKWARD" as const,
      schema: { type: "object", properties: { a: { type: "string" }, b: { type: "string" } } },
      previous: [{ version: 1, schema: { type: "object", properties: { a: { type: "string" } } } }],
    };
    expect(checkCompatibility(input).isCompatible).toBe(false);
    expect(checkCompatibility({ ...input, policy: "LENIENT" }).isCompatible).toBe(true);
  });
});
