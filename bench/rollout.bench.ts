/**
 * Rollout benchmark: the added cost of the rollout decision (LaunchDarkly SDK, embedded TestData, memoised per
 * key) on the validate hot path. Baseline: the same validation service without a rollout hook, same outputs
 * and keys, measured in the same run. Goal ≤ 1.05×. Random per-request keys (never memoised) are shown too.
 */
import { randomUUID } from "node:crypto";
import { createEmbeddedFlagSource } from "../src/adapters/flags/embedded-flags.js";
import { createMemoryRolloutStore } from "../src/adapters/storage/memory-rollout-store.js";
import { createMemorySchemaStore } from "../src/adapters/storage/memory-schema-store.js";
import { createLocalVersionSource } from "../src/app/local-version-source.js";
import { createRegistryService } from "../src/app/registry.js";
import { createRolloutService } from "../src/app/rollout.js";
import { createValidationService, type ValidationService } from "../src/app/validation.js";
import type { JsonSchema } from "../src/core/json.js";
import type { BenchRow } from "./harness.js";

const KEYS = Array.from({ length: 1000 }, (_, i) => `tenant-${i}`);

/** Versions differ only in their title: every output takes the strict track on either, so the figures compare the decision alone. */
function schema(version: number): JsonSchema {
  const properties: Record<string, JsonSchema> = { status: { type: "string", enum: ["open", "closed"] } };
  for (let i = 1; i < 5; i++) properties[`f${i}`] = { type: ["string", "null"] };
  return {
    title: `ticket v${version}`,
    type: "object",
    additionalProperties: false,
    required: Object.keys(properties),
    properties,
  };
}

/** Nanoseconds per awaited call of `fn`, over about `ms` milliseconds after a warm-up. */
async function timeAsync(fn: (i: number) => Promise<unknown>, ms: number): Promise<number> {
  const warmUntil = performance.now() + ms / 3;
  let i = 0;
  while (performance.now() < warmUntil) await fn(i++);
  let calls = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (let j = 0; j < 500; j++) await fn(i++);
    calls += 500;
  }
  return ((performance.now() - start) * 1e6) / calls;
}

async function compareAsync(fns: Record<string, (i: number) => Promise<unknown>>, rounds = 7, ms = 250) {
  const samples: Record<string, number[]> = {};
  for (const name of Object.keys(fns)) samples[name] = [];
  const entries = Object.entries(fns);
  for (let r = 0; r < rounds; r++) {
    // Every other round in reverse order, so no candidate always runs right after the same neighbour.
    const order = r % 2 === 0 ? entries : [...entries].reverse();
    for (const [name, fn] of order) samples[name]?.push(await timeAsync(fn, ms));
  }
  const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] as number;
  return Object.fromEntries(Object.entries(samples).map(([name, list]) => [name, median(list)]));
}

/** Runs the benchmark and returns its rows. */
export async function run(): Promise<BenchRow[]> {
  const store = createMemorySchemaStore();
  const registry = createRegistryService({ store });
  await registry.setConfig(null, { compatibility: "NONE", profile: "json-schema" });
  for (const version of [1, 2, 3]) await registry.register("ticket", schema(version));
  const flags = createEmbeddedFlagSource({ keyPrefix: "structreg." });
  const rollout = createRolloutService({ store: createMemoryRolloutStore(), registry, flags });
  await rollout.start();
  await rollout.set("ticket", { candidate: 3, percent: 30 }, "bench");

  const versions = createLocalVersionSource(store, { ttlMs: 60_000 });
  const common = { versions, now: () => new Date(), randomKey: randomUUID };
  const alone: ValidationService = createValidationService({
    ...common,
    // Validation alone: the same target the rollout most often picks (stable), without asking anyone.
    resolveTarget: (_s, _k, live) => ({ version: live[1]?.version ?? 1, resolution: "latest" }),
  });
  const withRollout = createValidationService({ ...common, resolveTarget: rollout.decide });
  const stableOutput = JSON.stringify({ status: "open", f1: "x", f2: "x", f3: "x", f4: null });
  const pick = (i: number) => KEYS[i % KEYS.length] as string;
  for (let i = 0; i < KEYS.length; i++) {
    const outcome = await withRollout.validate("ticket", stableOutput, { key: pick(i) });
    if (!outcome.ok || outcome.track !== "strict") throw new Error("bench output must take the strict track");
  }
  const costs = await compareAsync({
    alone: (i) => alone.validate("ticket", stableOutput, { key: pick(i) }),
    rollout: (i) => withRollout.validate("ticket", stableOutput, { key: pick(i) }),
    randomKeys: () => withRollout.validate("ticket", stableOutput),
    aloneRandom: () => alone.validate("ticket", stableOutput),
  });
  await rollout.close();
  const base = costs.alone as number;
  const row = (name: string, ns: number, baseline: number, goal?: number): BenchRow => {
    const ratio = ns / baseline;
    const out: BenchRow = { group: "rollout", name, value: ns / 1000, unit: "µs", ratio };
    if (goal !== undefined) {
      out.goal = `≤ ${goal}×`;
      out.met = ratio <= goal;
    }
    return out;
  };
  return [
    row("validate alone, 1,000 caller keys (baseline)", base, base),
    row("validate + rollout decision (30%), same keys ÷ baseline", costs.rollout as number, base, 1.05),
    row(
      "validate + decision, random per-request keys ÷ alone",
      costs.randomKeys as number,
      costs.aloneRandom as number,
    ),
  ];
}
