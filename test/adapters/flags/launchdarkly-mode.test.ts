import { afterEach, describe, expect, test } from "vitest";
import { createLaunchDarklyFlagSource } from "../../../src/adapters/flags/launchdarkly-flags.js";
import { createLdRestClient, SEMANTIC_PATCH_TYPE } from "../../../src/adapters/flags/ld-rest.js";
import { createMemoryRolloutStore } from "../../../src/adapters/storage/memory-rollout-store.js";
import { createRolloutService } from "../../../src/app/rollout.js";
import type { RolloutService } from "../../../src/app/rollout-types.js";
import type { SourceVersion } from "../../../src/app/validation-types.js";
import { createRolloutHarness, type RolloutHarness } from "../../app/rollout-harness.js";
import { waitFor } from "../../helpers/wait-for.js";
import { startFakeLaunchDarkly } from "./fake-launchdarkly.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A rollout service in LaunchDarkly mode against the fake, over a registry with invoice v1..v3. */
async function ldMode(options: { apiToken?: boolean; streamUri?: string; reconnectSeconds?: number } = {}) {
  const fake = await startFakeLaunchDarkly([{ key: "structreg.invoice", variations: [3, 2], stable: 2 }]);
  cleanups.push(() => fake.close());
  const base: RolloutHarness = await createRolloutHarness();
  cleanups.push(() => base.close());
  const flags = createLaunchDarklyFlagSource({
    sdkKey: "sdk-test-key",
    keyPrefix: "structreg.",
    streamUri: options.streamUri ?? fake.url,
    baseUri: fake.url,
    eventsUri: fake.url,
    initTimeoutSeconds: 2,
    ...(options.reconnectSeconds === undefined
      ? {}
      : { streamReconnectDelaySeconds: options.reconnectSeconds }),
    dashboardHint: "flip it at https://app.launchdarkly.com/projects/default/flags",
    ...(options.apiToken === false
      ? {}
      : {
          rest: createLdRestClient({
            baseUri: fake.url,
            apiToken: "api-test-token",
            projectKey: "default",
            environmentKey: "test",
          }),
        }),
  });
  const rollout: RolloutService = createRolloutService({
    store: createMemoryRolloutStore(),
    registry: base.registry,
    flags,
  });
  cleanups.push(() => rollout.close());
  await rollout.start();
  return { fake, rollout, live: await base.live() };
}

async function share(rollout: RolloutService, live: SourceVersion[], keys = 2000) {
  let on = 0;
  for (let i = 0; i < keys; i++) {
    if ((await rollout.decide("invoice", `k${i}`, live)).resolution === "rollout:candidate") on++;
  }
  return on / keys;
}

describe("LaunchDarkly mode through the real SDK and local fakes", () => {
  test("decisions come from the streamed flag", async () => {
    const { rollout, live } = await ldMode();
    expect(await rollout.decide("invoice", "k1", live)).toEqual({ version: 2, resolution: "rollout:stable" });
  });

  test("rollout set patches the flag with a semantic patch, then serves the new split once the call returns", async () => {
    const { fake, rollout, live } = await ldMode();
    await rollout.set("invoice", { candidate: 3, percent: 30 }, "alice");
    const patch = fake.requests.find((r) => r.method === "PATCH");
    expect(patch).toMatchObject({
      path: "/api/v2/flags/default/structreg.invoice",
      contentType: SEMANTIC_PATCH_TYPE,
      auth: "api-test-token",
      body: {
        environmentKey: "test",
        instructions: [
          {
            kind: "updateFallthroughVariationOrRollout",
            rolloutWeights: { "id-3": 30_000, "id-2": 70_000 },
            rolloutBucketBy: "key",
            rolloutContextKind: "user",
          },
        ],
      },
    });
    const onCandidate = await share(rollout, live);
    expect(Math.abs(onCandidate - 0.3)).toBeLessThan(0.04);
  });

  test("ramping keeps keys on the candidate; rollback serves stable to all once it returns", async () => {
    const { rollout, live } = await ldMode();
    await rollout.set("invoice", { candidate: 3, percent: 20 }, "a");
    const at20 = await Promise.all(
      Array.from({ length: 500 }, (_, i) => rollout.decide("invoice", `k${i}`, live)),
    );
    await rollout.set("invoice", { percent: 60 }, "a");
    const at60 = await Promise.all(
      Array.from({ length: 500 }, (_, i) => rollout.decide("invoice", `k${i}`, live)),
    );
    at20.forEach((d, i) => {
      if (d.version === 3) expect(at60[i]?.version).toBe(3);
    });
    await rollout.rollback("invoice", "a");
    expect(await share(rollout, live)).toBe(0);
  });

  test("a change made in LaunchDarkly itself reaches decisions", async () => {
    const { fake, rollout, live } = await ldMode();
    fake.setFallthrough("structreg.invoice", { variation: 0 });
    const started = Date.now();
    while ((await rollout.decide("invoice", "k1", live)).version !== 3) {
      expect(Date.now() - started).toBeLessThan(2000);
      await new Promise((r) => setTimeout(r, 20));
    }
  });

  test("without an API token, rollout commands say where to flip the flag and change nothing", async () => {
    const { fake, rollout } = await ldMode({ apiToken: false });
    await expect(rollout.rollback("invoice", "a")).rejects.toMatchObject({
      code: "SR_ROLLOUT_FLAG_READ_ONLY",
      hint: "flip it at https://app.launchdarkly.com/projects/default/flags",
    });
    expect(fake.requests).toEqual([]);
    expect((await rollout.get("invoice")).configured).toBe(false);
  });

  test("an unreachable LaunchDarkly degrades every decision to stable, never an error", async () => {
    const { rollout, live } = await ldMode({ streamUri: "http://127.0.0.1:9" });
    // No stored rollout and no flags: callers get the latest version, as without rollouts.
    expect(await rollout.decide("invoice", "k1", live)).toEqual({ version: 3, resolution: "latest" });
  });
});

describe("LaunchDarkly stream dropped and restored, with traffic running", () => {
  test("stable is served while the stream is down, the same keys get the candidate again once it returns", async () => {
    const { fake, rollout, live } = await ldMode({ reconnectSeconds: 0.05 });
    await rollout.set("invoice", { candidate: 3, percent: 50 }, "a");
    const keys = Array.from({ length: 300 }, (_, i) => `k${i}`);
    const versionsNow = async () =>
      Promise.all(keys.map(async (k) => (await rollout.decide("invoice", k, live)).version));
    const before = await versionsNow();
    const candidateKey = keys[before.indexOf(3)] as string;
    expect(before.filter((v) => v === 3).length).toBeGreaterThan(100);

    // Traffic: passes over every key, each answer recorded with the phase its pass started in.
    type Phase = "dropping" | "down" | "restoring" | "restored" | "done";
    // Held in an object: TypeScript would narrow a `let` to its first value inside the closures.
    const now: { phase: Phase } = { phase: "dropping" };
    const answers: Array<{ phase: Phase; version: number }> = [];
    const traffic = (async () => {
      while (now.phase !== "done") {
        const passPhase = now.phase;
        for (const version of await versionsNow()) answers.push({ phase: passPhase, version });
        await new Promise((r) => setImmediate(r));
      }
    })();
    const onCandidate = async () => (await rollout.decide("invoice", candidateKey, live)).version === 3;

    fake.dropStream();
    await waitFor("stable served after the drop", async () => !(await onCandidate()));
    now.phase = "down";
    // The SDK keeps trying and is refused; traffic keeps being answered meanwhile.
    const downFrom = answers.length;
    await waitFor(
      "reconnects refused",
      async () => fake.streams().refused >= 2 && answers.length > downFrom + 600,
    );
    now.phase = "restoring";
    fake.restoreStream();
    await waitFor("candidate served after the restore", onCandidate);
    now.phase = "restored";
    const restoredFrom = answers.length;
    await waitFor("traffic after the restore", async () => answers.length > restoredFrom + 600);
    now.phase = "done";
    await traffic;

    const down = answers.filter((a) => a.phase === "down");
    expect(down.length).toBeGreaterThan(600);
    expect(down.every((a) => a.version === 2)).toBe(true);
    // Sticky across the outage: every key is back on the version it had before.
    const restored = answers.filter((a) => a.phase === "restored").map((a) => a.version);
    expect(restored.slice(0, keys.length)).toEqual(before);
    expect(await versionsNow()).toEqual(before);
    expect(fake.streams().open).toBe(1);
  });

  test("a flag managed only in LaunchDarkly keeps its last known answer while the stream is down", async () => {
    // No rollout stored in structreg: it has no stable of its own for the subject, so "latest" would be a
    // guess; the flag (fallthrough: v2 while v3 is latest) stays what LaunchDarkly last said.
    const { fake, rollout, live } = await ldMode({ reconnectSeconds: 0.05 });
    expect(await rollout.decide("invoice", "k1", live)).toEqual({ version: 2, resolution: "rollout:stable" });
    fake.dropStream();
    await waitFor("reconnects refused", () => fake.streams().refused >= 2);
    for (let i = 0; i < 50; i++) {
      expect(await rollout.decide("invoice", `k${i}`, live)).toEqual({
        version: 2,
        resolution: "rollout:stable",
      });
    }
  });
});
