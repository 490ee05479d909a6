import { Registry } from "prom-client";
import { describe, expect, test } from "vitest";
import { createMemoryQuarantineStore } from "../../src/adapters/storage/memory-quarantine-store.js";
import { createValidationMetrics } from "../../src/app/validation/metrics.js";
import type { ValidationOutcome } from "../../src/app/validation-types.js";

const BASE = {
  subject: "tickets",
  targetVersion: 2,
  resolution: "latest" as const,
  key: "k",
  keyGenerated: false,
};

const TOLERANT: ValidationOutcome = {
  ...BASE,
  ok: true,
  version: 2,
  track: "tolerant",
  data: {},
  repairs: [
    { kind: "extracted_fence", path: "" },
    { kind: "enum_fallback", path: "/items/0/status", from: "weird", to: "other" },
    { kind: "enum_fallback", path: "/items/7/status", from: "odd", to: "other" },
  ],
};

const FAILED: ValidationOutcome = {
  ...BASE,
  ok: false,
  version: 2,
  reason: "invalid",
  repairs: [],
  issues: [{ code: "invalid_enum", path: "/kind", allowed: ["a"], message: 'must be one of ["a"]' }],
};

async function value(registry: Registry, name: string) {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  return (metric?.values ?? []).map((v) => ({ labels: v.labels, value: v.value }));
}

describe("validation metrics", () => {
  test("counts outcomes by subject, version, track, outcome and reason", async () => {
    const registry = new Registry();
    const metrics = createValidationMetrics(registry);
    metrics.observe(TOLERANT);
    metrics.observe(TOLERANT);
    metrics.observe(FAILED);
    expect(await value(registry, "structreg_validations_total")).toEqual([
      {
        labels: { subject: "tickets", version: "2", track: "tolerant", outcome: "ok", reason: "" },
        value: 2,
      },
      {
        labels: { subject: "tickets", version: "2", track: "none", outcome: "failed", reason: "invalid" },
        value: 1,
      },
    ]);
  });

  test("counts repairs by kind and enum drift by path with array indices folded", async () => {
    const registry = new Registry();
    const metrics = createValidationMetrics(registry);
    metrics.observe(TOLERANT);
    metrics.observe(FAILED);
    expect(await value(registry, "structreg_repairs_total")).toEqual([
      { labels: { kind: "extracted_fence" }, value: 1 },
      { labels: { kind: "enum_fallback" }, value: 2 },
    ]);
    expect(await value(registry, "structreg_enum_drift_total")).toEqual([
      { labels: { subject: "tickets", path: "/items/*/status" }, value: 2 },
      { labels: { subject: "tickets", path: "/kind" }, value: 1 },
    ]);
  });

  test("bounds the distinct drift paths per subject", async () => {
    const registry = new Registry();
    const metrics = createValidationMetrics(registry, { maxDriftPathsPerSubject: 2 });
    for (const key of ["a", "b", "c", "d"]) {
      metrics.observe({ ...FAILED, issues: [{ ...FAILED.issues[0], path: `/${key}` } as never] });
    }
    const paths = (await value(registry, "structreg_enum_drift_total")).map((v) => [v.labels.path, v.value]);
    expect(paths).toEqual([
      ["/a", 1],
      ["/b", 1],
      ["(other)", 2],
    ]);
  });

  test("reads the quarantine gauge from the store on scrape", async () => {
    const registry = new Registry();
    const store = createMemoryQuarantineStore();
    createValidationMetrics(registry, { quarantine: store });
    const entry = {
      subject: "tickets",
      version: 1,
      reason: "invalid" as const,
      issues: [],
      repairs: [],
      raw: "x",
      rawBytes: 1,
      rawSha256: "",
      truncated: false,
      key: null,
    };
    const retention = { maxPerSubject: 10, maxAgeMs: 1e9 };
    await store.add(entry, retention, new Date());
    await store.add(entry, retention, new Date());
    await store.markResolved([1], 1, new Date());
    expect(await value(registry, "structreg_quarantine_samples")).toEqual([
      { labels: { subject: "tickets", status: "open" }, value: 1 },
      { labels: { subject: "tickets", status: "resolved" }, value: 1 },
    ]);
  });
});
