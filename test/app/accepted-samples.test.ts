import { afterEach, describe, expect, test } from "vitest";
import { createMemoryAcceptedSampleStore } from "../../src/adapters/storage/memory-accepted-samples.js";
import {
  createAcceptedSampler,
  type SampleDrop,
  withAcceptedSamples,
} from "../../src/app/accepted-samples.js";
import type { AcceptedSampleStore } from "../../src/app/ports.js";
import { createTestServices, type Services } from "../../src/compose.js";
import { readConsoleConfig } from "../../src/console-config.js";

const SCHEMA = {
  type: "object",
  properties: { total: { type: "number" } },
  required: ["total"],
  additionalProperties: false,
};

let services: Services | undefined;
afterEach(async () => {
  await services?.close();
  services = undefined;
});

async function servicesKeeping(samples: number): Promise<Services> {
  const console = readConsoleConfig({ STRUCTREG_ACCEPTED_SAMPLES: String(samples) });
  services = createTestServices({ console });
  await services.registry.register("invoice", SCHEMA);
  return services;
}

describe("accepted samples", () => {
  test("keeps the newest accepted outputs per subject, not failures nor dry runs", async () => {
    const s = await servicesKeeping(2);
    for (const total of [1, 2, 3]) await s.validation.validate("invoice", `{"total": ${total}}`);
    await s.validation.validate("invoice", '{"total": 4}', { dryRun: true });
    await s.validation.validate("invoice", '{"total": "many"}');
    s.validation.validateNow("invoice", '```json\n{"total": 5}\n```');
    await s.acceptedSamples?.flush();
    const kept = await s.acceptedSamples!.list("invoice", 10);
    expect(kept.map((k) => k.raw)).toEqual(['```json\n{"total": 5}\n```', '{"total": 3}']);
    expect(kept[0]).toMatchObject({ subject: "invoice", version: 1 });
  });

  test("STRUCTREG_ACCEPTED_SAMPLES=0 keeps nothing and adds no hook", async () => {
    const s = await servicesKeeping(0);
    expect(s.acceptedSamples).toBeUndefined();
  });

  test("validate does not wait for the write; a full queue drops and counts", async () => {
    const s = await servicesKeeping(50);
    let release: () => void = () => undefined;
    const stuck: AcceptedSampleStore = {
      add: () => new Promise<void>((resolve) => (release = resolve)),
      list: async () => [],
    };
    const drops: SampleDrop[] = [];
    const sampler = createAcceptedSampler({
      store: stuck,
      maxPerSubject: 50,
      maxBytes: 1000,
      queueSize: 2,
      flushMs: 60_000,
      onDrop: (reason) => drops.push(reason),
    });
    const validation = withAcceptedSamples(s.validation, sampler);
    for (const total of [1, 2, 3]) {
      const outcome = await validation.validate("invoice", `{"total": ${total}}`);
      expect(outcome.ok).toBe(true);
    }
    await validation.validate("invoice", `{"total": 1}${" ".repeat(2000)}`);
    await validation.validate("invoice", { total: 1 });
    expect(drops).toEqual(["queue_full", "too_large", "not_text"]);
    const flushed = sampler.flush(); // the write hangs; validations still answer
    expect((await validation.validate("invoice", '{"total": 9}')).ok).toBe(true);
    release();
    await flushed;
  });

  test("text PostgreSQL cannot hold is skipped, not written", async () => {
    const store = createMemoryAcceptedSampleStore();
    const drops: SampleDrop[] = [];
    const sampler = createAcceptedSampler({
      store,
      maxPerSubject: 5,
      maxBytes: 100,
      onDrop: (r) => drops.push(r),
    });
    const ok = { ok: true, subject: "s", version: 1 } as never;
    sampler.offer(ok, '{"a": "\u0000"}', undefined);
    sampler.offer(ok, '{"a": "\ud800"}', undefined);
    sampler.offer(ok, '{"a": 1}', undefined);
    await sampler.flush();
    expect(drops).toEqual(["unstorable", "unstorable"]);
    expect((await store.list("s", 5)).map((x) => x.raw)).toEqual(['{"a": 1}']);
  });
});
