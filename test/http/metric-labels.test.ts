import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createValidationMetrics } from "../../src/app/validation/metrics.js";
import type { ValidationOutcome } from "../../src/app/validation-types.js";
import { send } from "./helpers.js";
import { type ValidateApp, validateApp } from "./validate-fixtures.js";

/** Series per metric name in a Prometheus text exposition. */
function seriesCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const name = line.slice(0, line.search(/[{ ]/));
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

function labelValues(text: string): string[] {
  return [...text.matchAll(/="((?:[^"\\]|\\.)*)"/g)].map((m) => m[1] as string);
}

let ctx: ValidateApp;
beforeAll(async () => {
  ctx = await validateApp();
  await ctx.registry.setConfig("drift", { profile: "json-schema", compatibility: "NONE" });
  await ctx.registry.register("drift", {
    type: "object",
    additionalProperties: { type: "string", enum: ["a", "b"] },
  });
});
afterAll(async () => {
  await ctx.app.close();
});

const scrape = async () => (await ctx.app.inject({ url: "/metrics" })).body;

describe("metric label values that come from callers are bounded", () => {
  test("unknown subjects and long or random paths create no series", async () => {
    await send(ctx.app, "POST", "/subjects/tickets/validate", { output: "{}" });
    await send(ctx.app, "GET", "/nothing-here");
    const before = seriesCounts(await scrape());
    for (let i = 0; i < 300; i++) {
      await send(ctx.app, "POST", `/subjects/unknown-${i}/validate`, { output: "{}" });
      await send(ctx.app, "GET", `/x${"y".repeat(2000)}/${i}`);
      await send(ctx.app, "GET", `/subjects/unknown-${i}/versions`);
    }
    const after = seriesCounts(await scrape());
    for (const name of ["structreg_validations_total", "structreg_enum_drift_total"]) {
      expect(after.get(name) ?? 0).toBe(before.get(name) ?? 0);
    }
    // Route templates only: a handful of new (route, status) pairs, never one per URL.
    expect(after.get("http_requests_total") ?? 0).toBeLessThanOrEqual(
      (before.get("http_requests_total") ?? 0) + 4,
    );
    expect(labelValues(await scrape()).every((v) => v.length <= 200)).toBe(true);
  });

  test("enum-drift paths (keys chosen by the output) are cut and counted per subject up to a bound", async () => {
    for (let i = 0; i < 150; i++) {
      const key = `${i}-${"k".repeat(100_000)}`;
      const res = await send(ctx.app, "POST", "/subjects/drift/validate", { output: { [key]: "zzz" } });
      expect(res.statusCode).toBe(422);
    }
    const text = await scrape();
    const drift = text.split("\n").filter((l) => l.startsWith("structreg_enum_drift_total{"));
    expect(drift.length).toBeGreaterThan(1);
    expect(drift.length).toBeLessThanOrEqual(101);
    expect(drift.some((l) => l.includes('path="(other)"'))).toBe(true);
    expect(Math.max(...labelValues(drift.join("\n")).map((v) => v.length))).toBeLessThanOrEqual(200);
  });

  test("subjects past the budget are counted as (other)", async () => {
    const registry = new Registry();
    const metrics = createValidationMetrics(registry, { maxSubjects: 10 });
    for (let i = 0; i < 50; i++) {
      const outcome: ValidationOutcome = {
        ok: false,
        subject: `s${i}`,
        version: 1,
        targetVersion: 1,
        resolution: "latest",
        key: "k",
        keyGenerated: false,
        reason: "invalid",
        repairs: [],
        issues: [{ code: "invalid_enum", path: "/x", allowed: ["a"], message: "m" }],
      };
      metrics.observe(outcome);
    }
    const text = await registry.metrics();
    const subjects = new Set([...text.matchAll(/subject="([^"]*)"/g)].map((m) => m[1]));
    expect(subjects.size).toBe(11);
    expect(subjects.has("(other)")).toBe(true);
  });
});
