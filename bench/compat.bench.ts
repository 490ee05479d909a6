/**
 * Compatibility differ benchmark: compareSchemas (both directions) on a ~120-property schema pair, as a
 * ratio of compiling the same (new) schema with ajv in the same run, the other cost paid once per registration.
 */
import { compareSchemas } from "../src/core/compat/compare.js";
import type { JsonObject } from "../src/core/json.js";
import { compileSchema } from "../src/core/validate/ajv.js";
import { type BenchRow, compareCosts } from "./harness.js";

const PROPERTIES = 120;

/** An OpenAI-strict-style object: every property required, closed, a mix of scalars, enums, arrays, nesting. */
function schemaPair(): { oldSchema: JsonObject; newSchema: JsonObject } {
  const build = (revision: number): JsonObject => {
    const properties: Record<string, JsonObject> = {};
    for (let i = 0; i < PROPERTIES; i++) properties[`field_${i}`] = fieldSchema(i, revision);
    // The new revision adds one nullable property, widens an enum and relaxes a bound: a realistic edit.
    if (revision === 2) properties.note = { type: ["string", "null"], description: "added in v2" };
    return {
      type: "object",
      properties,
      required: Object.keys(properties),
      additionalProperties: false,
      $defs: {
        money: {
          type: "object",
          properties: { amount: { type: "number" }, currency: { type: "string" } },
          required: ["amount", "currency"],
          additionalProperties: false,
        },
      },
    };
  };
  return { oldSchema: build(1), newSchema: build(2) };
}

function fieldSchema(i: number, revision: number): JsonObject {
  switch (i % 6) {
    case 0:
      return { type: "string", description: `field ${i}`, maxLength: revision === 2 && i === 0 ? 200 : 100 };
    case 1:
      return { type: "integer", minimum: 0 };
    case 2:
      return { type: "string", enum: revision === 2 && i === 2 ? ["a", "b", "c", "d"] : ["a", "b", "c"] };
    case 3:
      return { type: "array", items: { type: "string" }, maxItems: 10 };
    case 4:
      return { $ref: "#/$defs/money" };
    default:
      return {
        type: "object",
        properties: { code: { type: "string" }, count: { type: ["integer", "null"] } },
        required: ["code", "count"],
        additionalProperties: false,
      };
  }
}

/** Runs the benchmark and returns its rows. */
export async function run(): Promise<BenchRow[]> {
  const { oldSchema, newSchema } = schemaPair();
  const costs = compareCosts({
    compare: () => compareSchemas(oldSchema, newSchema),
    compile: () => compileSchema(newSchema),
  });
  const compare = costs.compare!;
  const compile = costs.compile!;
  return [
    {
      group: "compat",
      name: `ajv compile, ${PROPERTIES}-property schema (baseline)`,
      value: compile / 1000,
      unit: "µs",
      ratio: 1,
    },
    {
      group: "compat",
      name: `compareSchemas both directions ÷ ajv compile`,
      value: compare / 1000,
      unit: "µs",
      ratio: compare / compile,
    },
  ];
}
