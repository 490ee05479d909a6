/**
 * Generated benchmark schemas in OpenAI strict style (closed objects, every property required,
 * nullable = union with null) and a valid output for each: small (~6 fields), medium (~35 fields with
 * a nested array of objects) and large (~120 properties, depth 5). Deterministic: no randomness.
 */
import type { JsonObject, JsonValue } from "../src/core/json.js";

/** A schema with a matching valid output and the pointer-free name of one of its enum fields. */
export interface BenchFixture {
  name: string;
  schema: JsonObject;
  output: JsonObject;
}

const STATUS = ["open", "in_progress", "resolved", "other"];

function closed(properties: Record<string, JsonObject>): JsonObject {
  return { type: "object", properties, required: Object.keys(properties), additionalProperties: false };
}

/** A scalar-ish field by position: string, enum, integer, number, boolean, nullable string. */
function field(i: number): { schema: JsonObject; value: JsonValue } {
  switch (i % 6) {
    case 0:
      return { schema: { type: "string" }, value: `value number ${i}` };
    case 1:
      return { schema: { type: "string", enum: STATUS }, value: STATUS[i % 3]! };
    case 2:
      return { schema: { type: "integer", minimum: 0 }, value: i * 7 };
    case 3:
      return { schema: { type: "number" }, value: i + 0.25 };
    case 4:
      return { schema: { type: "boolean" }, value: i % 2 === 0 };
    default:
      return { schema: { type: ["string", "null"] }, value: i % 4 === 1 ? null : "note" };
  }
}

function flat(count: number, prefix: string): { schema: JsonObject; output: JsonObject } {
  const properties: Record<string, JsonObject> = {};
  const output: JsonObject = {};
  for (let i = 0; i < count; i++) {
    const f = field(i);
    properties[`${prefix}${i}`] = f.schema;
    output[`${prefix}${i}`] = f.value;
  }
  return { schema: closed(properties), output };
}

/** ~6 fields. */
export function smallFixture(): BenchFixture {
  const { schema, output } = flat(6, "f");
  return { name: "small (6 fields)", schema, output };
}

/** ~35 fields: 25 flat ones and a `lines` array of 5-field objects (3 items). */
export function mediumFixture(): BenchFixture {
  const top = flat(29, "f");
  const item = flat(5, "g");
  const properties = { ...(top.schema.properties as Record<string, JsonObject>) };
  properties.lines = { type: "array", items: item.schema };
  return {
    name: "medium (35 fields, nested array)",
    schema: closed(properties),
    output: { ...top.output, lines: [item.output, item.output, item.output] },
  };
}

/** ~120 properties spread over five levels of nested objects. */
export function largeFixture(): BenchFixture {
  const build = (level: number): { schema: JsonObject; output: JsonObject } => {
    const own = flat(level === 5 ? 24 : 23, `l${level}_`);
    if (level === 5) return own;
    const child = build(level + 1);
    const properties = { ...(own.schema.properties as Record<string, JsonObject>), child: child.schema };
    return { schema: closed(properties), output: { ...own.output, child: child.output } };
  };
  const { schema, output } = build(1);
  return { name: "large (120 properties, depth 5)", schema, output };
}

/** The three fixtures, small to large. */
export function parseFixtures(): BenchFixture[] {
  return [smallFixture(), mediumFixture(), largeFixture()];
}
