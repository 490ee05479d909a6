import { afterEach, describe, expect, test } from "vitest";
import { createPollingChangeFeed } from "../../src/adapters/flags/change-feed.js";
import { createEmbeddedFlagSource } from "../../src/adapters/flags/embedded-flags.js";
import { createMemoryRolloutStore } from "../../src/adapters/storage/memory-rollout-store.js";
import { createRolloutService } from "../../src/app/rollout.js";
import type { RolloutService } from "../../src/app/rollout-types.js";
import type { SourceVersion } from "../../src/app/validation-types.js";
import { createRolloutHarness, type RolloutHarness } from "./rollout-harness.js";

const harnesses: RolloutHarness[] = [];
const extra: RolloutService[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
  for (const s of extra.splice(0)) await s.close();
});

async function harness(): Promise<RolloutHarness> {
  const h = await createRolloutHarness();
  harnesses.push(h);
  return h;
}

async function candidateShare(rollout: RolloutService, live: SourceVersion[], keys = 1000): Promise<number> {
  let on = 0;
  for (let i = 0; i < keys; i++) {
    const decision = await rollout.decide("invoice", `k${i}`, live);
    if (decision.resolution === "rollout:candidate") on++;
  }
  return on / keys;
}

describe("rollout service", () => {
  test("a subject without a rollout shows defaults and validation keeps its latest version", async () => {
    const h = await harness();
    expect(await h.rollout.get("invoice")).toMatchObject({
      configured: false,
      stable: 3,
      candidate: null,
      stage: "idle",
      revision: 0,
      flagKey: "structreg.invoice",
      mode: "embedded",
    });
    expect(await h.rollout.decide("invoice", "k1", await h.live())).toEqual({
      version: 3,
      resolution: "latest",
    });
  });

  test("set picks the latest ENABLED version below the candidate as stable and splits keys", async () => {
    const h = await harness();
    const view = await h.rollout.set("invoice", { candidate: 3, percent: 30 }, "alice");
    expect(view).toMatchObject({ stable: 2, candidate: 3, percent: 30, stage: "ramping", revision: 1 });
    const share = await candidateShare(h.rollout, await h.live());
    expect(share).toBeGreaterThan(0.25);
    expect(share).toBeLessThan(0.35);
  });

  test.each([
    ["a version the subject does not have", { candidate: 9, percent: 10 }, "SR_ROLLOUT_INVALID"],
    ["a percent out of range", { candidate: 3, percent: 150 }, "SR_ROLLOUT_INVALID_PERCENT"],
    ["the stable version itself", { candidate: 2, stable: 2, percent: 10 }, "SR_ROLLOUT_INVALID"],
  ])("refuses %s", async (_name, input, code) => {
    const h = await harness();
    await expect(h.rollout.set("invoice", input, "alice")).rejects.toMatchObject({ code });
    expect((await h.rollout.get("invoice")).configured).toBe(false);
  });

  test("refuses a candidate that is not ENABLED, naming the enabled ones", async () => {
    const h = await harness();
    await h.registry.setVersionState("invoice", 3, "DEPRECATED");
    await expect(h.rollout.set("invoice", { candidate: 3, percent: 10 }, "a")).rejects.toMatchObject({
      code: "SR_ROLLOUT_INVALID",
      message: "Version 3 is DEPRECATED, not ENABLED",
      details: { enabled: [1, 2] },
    });
  });

  test("refuses a candidate incompatible with stable under the subject's level", async () => {
    const h = await harness();
    // v3 adds a required property to a closed object: incompatible under BACKWARD.
    await h.registry.setConfig("invoice", { compatibility: "BACKWARD" });
    await expect(h.rollout.set("invoice", { candidate: 3, percent: 10 }, "a")).rejects.toMatchObject({
      code: "SR_ROLLOUT_INCOMPATIBLE",
      details: { candidate: 3, stable: 2 },
    });
  });

  test("promote with no candidate is refused; promote of a candidate makes it stable for everyone", async () => {
    const h = await harness();
    await expect(h.rollout.promote("invoice", "a")).rejects.toMatchObject({
      code: "SR_ROLLOUT_NO_CANDIDATE",
    });
    await h.rollout.set("invoice", { candidate: 3, percent: 10 }, "a");
    const view = await h.rollout.promote("invoice", "a");
    expect(view).toMatchObject({ stable: 3, candidate: null, stage: "promoted" });
    const live = await h.live();
    for (let i = 0; i < 200; i++) {
      expect(await h.rollout.decide("invoice", `k${i}`, live)).toEqual({
        version: 3,
        resolution: "rollout:stable",
      });
    }
  });

  test("once rollback has returned, no key gets the candidate", async () => {
    const h = await harness();
    await h.rollout.set("invoice", { candidate: 3, percent: 100 }, "a");
    const live = await h.live();
    expect(await candidateShare(h.rollout, live, 200)).toBe(1);
    await h.rollout.rollback("invoice", "a", { reason: "bad outputs" });
    expect(await candidateShare(h.rollout, live, 2000)).toBe(0);
  });

  test("rollback needs no rollout and no arguments, and is recorded", async () => {
    const h = await harness();
    const view = await h.rollout.rollback("invoice", "cli");
    expect(view).toMatchObject({ stage: "rolled_back", stable: 3, revision: 1 });
    expect(await h.rollout.history("invoice")).toMatchObject([
      { action: "rollback", who: "cli", reason: null },
    ]);
  });

  test("a stale revision is a conflict, not a lost update", async () => {
    const h = await harness();
    await h.rollout.set("invoice", { candidate: 3, percent: 10 }, "a");
    await h.rollout.set("invoice", { percent: 20, revision: 1 }, "b");
    await expect(h.rollout.set("invoice", { percent: 50, revision: 1 }, "c")).rejects.toMatchObject({
      code: "SR_ROLLOUT_CONFLICT",
    });
    expect((await h.rollout.get("invoice")).percent).toBe(20);
  });

  test("pause keeps the candidate; set --percent resumes it with the same keys", async () => {
    const h = await harness();
    const live = await h.live();
    await h.rollout.set("invoice", { candidate: 3, percent: 40 }, "a");
    const before = await Promise.all(
      Array.from({ length: 300 }, (_, i) => h.rollout.decide("invoice", `k${i}`, live)),
    );
    await h.rollout.pause("invoice", "a");
    expect(await candidateShare(h.rollout, live, 300)).toBe(0);
    await h.rollout.set("invoice", { percent: 40 }, "a");
    const after = await Promise.all(
      Array.from({ length: 300 }, (_, i) => h.rollout.decide("invoice", `k${i}`, live)),
    );
    expect(after).toEqual(before);
  });

  test("history lists every change with who, when, from, to and reason, newest first", async () => {
    const h = await harness();
    await h.rollout.set("invoice", { candidate: 3, percent: 10, reason: "first 10%" }, "alice");
    await h.rollout.set("invoice", { percent: 50 }, "bob");
    await h.rollout.rollback("invoice", "carol", { reason: "3 a.m." });
    const events = await h.rollout.history("invoice");
    expect(events.map((e) => [e.action, e.who, e.reason])).toEqual([
      ["rollback", "carol", "3 a.m."],
      ["set", "bob", null],
      ["set", "alice", "first 10%"],
    ]);
    expect(events[0]?.from).toEqual({ stable: 2, candidate: 3, percent: 50, stage: "ramping" });
    expect(events[0]?.to).toEqual({ stable: 2, candidate: 3, percent: 0, stage: "rolled_back" });
  });

  test("unknown subjects are SR_SUBJECT_NOT_FOUND", async () => {
    const h = await harness();
    await expect(h.rollout.get("nope")).rejects.toMatchObject({ code: "SR_SUBJECT_NOT_FOUND" });
    await expect(h.rollout.history("nope")).rejects.toMatchObject({ code: "SR_SUBJECT_NOT_FOUND" });
  });

  test("a decision never names a version outside the live ones (a disabled candidate serves stable)", async () => {
    const h = await harness();
    await h.rollout.set("invoice", { candidate: 3, percent: 100 }, "a");
    await h.registry.setVersionState("invoice", 3, "DISABLED");
    const live = await h.live();
    expect(await h.rollout.decide("invoice", "k1", live)).toEqual({
      version: 2,
      resolution: "rollout:stable",
    });
  });

  test("a remembered decision follows a new live list (the candidate disabled after it was served)", async () => {
    const h = await harness();
    await h.rollout.set("invoice", { candidate: 3, percent: 100 }, "a");
    const before = await h.live();
    expect(await h.rollout.decide("invoice", "k1", before)).toMatchObject({ version: 3 });
    // Now remembered: the synchronous path answers, with what it knows of this live list.
    expect(h.rollout.decide("invoice", "k1", before)).toEqual({
      version: 3,
      resolution: "rollout:candidate",
    });
    await h.registry.setVersionState("invoice", 3, "DISABLED");
    const after = await h.live();
    expect(h.rollout.decide("invoice", "k1", after)).toEqual({ version: 2, resolution: "rollout:stable" });
    // The old list still says what it said (a list is never edited in place).
    expect(h.rollout.decide("invoice", "k1", before)).toEqual({
      version: 3,
      resolution: "rollout:candidate",
    });
  });

  test("another service over the same store sees a change within 2 seconds (polling feed)", async () => {
    const h = await harness();
    const feed = createPollingChangeFeed(
      async () => (await h.store.list()).map((s) => ({ subject: s.subject, revision: s.revision })),
      200,
    );
    const other = createRolloutService({
      store: h.store,
      registry: h.registry,
      flags: createEmbeddedFlagSource({ keyPrefix: "structreg." }),
      feed,
    });
    extra.push(other);
    await other.start();
    const live = await h.live();
    await h.rollout.set("invoice", { candidate: 3, percent: 100 }, "a");
    const started = Date.now();
    while ((await other.decide("invoice", "k1", live)).version !== 3) {
      expect(Date.now() - started).toBeLessThan(2000);
      await new Promise((r) => setTimeout(r, 20));
    }
    await h.rollout.rollback("invoice", "a");
    while ((await other.decide("invoice", "k1", live)).version !== 2) {
      expect(Date.now() - started).toBeLessThan(4000);
      await new Promise((r) => setTimeout(r, 20));
    }
  });

  test("a restart (a new service over the stored state) serves every key as before", async () => {
    const store = createMemoryRolloutStore();
    const first = await createRolloutHarness({ store });
    harnesses.push(first);
    await first.rollout.set("invoice", { candidate: 3, percent: 30 }, "a");
    const live = await first.live();
    const before = await Promise.all(
      Array.from({ length: 500 }, (_, i) => first.rollout.decide("invoice", `k${i}`, live)),
    );
    await first.close();
    harnesses.pop();
    const second = await createRolloutHarness({ store, registry: first.registry });
    harnesses.push(second);
    const after = await Promise.all(
      Array.from({ length: 500 }, (_, i) => second.rollout.decide("invoice", `k${i}`, live)),
    );
    expect(after).toEqual(before);
  });
});
