/**
 * Registry benchmarks (issue 2):
 * - compatibility diff of each shipped example subject's consecutive versions ÷ compiling the newer schema with ajv;
 * - registration with a FULL_TRANSITIVE check over 100 prior versions of a large (120-property) schema, on
 *   in-memory PGlite, ÷ compiling that schema with ajv.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { openSchemaStore } from "../src/adapters/storage/open-store.js";
import { createRegistryService } from "../src/app/registry.js";
import { compareSchemas } from "../src/core/compat/compare.js";
import type { JsonObject } from "../src/core/json.js";
import { compileSchema } from "../src/core/validate/ajv.js";
import { type BenchRow, compareCosts } from "./harness.js";

const SCHEMAS_DIR = join(import.meta.dirname, "../schemas");

function exampleRows(): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const subject of readdirSync(SCHEMAS_DIR).sort()) {
    // v<N>.json only (v<N>.references.json lists references); a subject of one version has nothing to diff.
    const files = readdirSync(join(SCHEMAS_DIR, subject))
      .filter((f) => /^v\d+\.json$/.test(f))
      .sort((a, b) => Number(a.slice(1, -5)) - Number(b.slice(1, -5)));
    if (files.length < 2) continue;
    const schemas = files.map(
      (f) => JSON.parse(readFileSync(join(SCHEMAS_DIR, subject, f), "utf8")) as JsonObject,
    );
    const pairs = schemas.slice(1).map((next, i) => [schemas[i]!, next] as const);
    const costs = compareCosts({
      diff: () => {
        for (const [a, b] of pairs) compareSchemas(a, b);
      },
      compile: () => {
        for (const [, b] of pairs) compileSchema(b);
      },
    });
    rows.push({
      group: "registry",
      name: `compat diff ${subject} (${pairs.length} pairs) ÷ ajv compile`,
      value: costs.diff! / 1000,
      unit: "µs",
      ratio: costs.diff! / costs.compile!,
    });
  }
  return rows;
}

/** A 120-property object schema (some nested) whose `description`s carry a version marker. */
export function largeSchema(marker: number): JsonObject {
  const properties: Record<string, JsonObject> = {};
  for (let i = 0; i < 120; i++) {
    const name = `field_${i}`;
    if (i % 10 === 0) {
      properties[name] = {
        type: "object",
        description: `group ${i} rev ${marker}`,
        properties: {
          code: { type: "string" },
          amount: { type: "number" },
          when: { type: "string", format: "date" },
        },
        required: ["code", "amount", "when"],
        additionalProperties: false,
      };
    } else if (i % 3 === 0) {
      properties[name] = { type: "string", enum: ["a", "b", "c", "d"], description: `enum ${i}` };
    } else {
      properties[name] = { type: i % 2 ? "string" : "number", description: `scalar ${i}` };
    }
  }
  return {
    type: "object",
    description: `large schema rev ${marker}`,
    properties,
    required: Object.keys(properties),
    additionalProperties: false,
  };
}

async function registrationRow(): Promise<BenchRow> {
  const store = await openSchemaStore({ memory: true });
  const registry = createRegistryService({ store });
  await registry.setConfig("large", { compatibility: "NONE" });
  for (let v = 1; v <= 100; v++) await registry.register("large", largeSchema(v));
  await registry.setConfig("large", { compatibility: "FULL_TRANSITIVE" });
  let next = 101;
  const samples: number[] = [];
  for (let i = 0; i < 15; i++) {
    const schema = largeSchema(next++);
    const start = performance.now();
    const result = await registry.register("large", schema);
    samples.push(performance.now() - start);
    if (!result.created) throw new Error("bench: registration did not create a version");
  }
  await store.close();
  const compile = compareCosts({ compile: () => compileSchema(largeSchema(0)) }, 3, 300).compile! / 1e6;
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)]!;
  return {
    group: "registry",
    name: "register large schema, FULL_TRANSITIVE over 100+ versions (PGlite) ÷ ajv compile",
    value: median,
    unit: "ms",
    ratio: median / compile,
  };
}

/** Runs the registry benchmarks. */
export async function run(): Promise<BenchRow[]> {
  return [...exampleRows(), await registrationRow()];
}
