import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { createLaunchDarklyFlagSource } from "../../../src/adapters/flags/launchdarkly-flags.js";
import { createLdRestClient } from "../../../src/adapters/flags/ld-rest.js";
import { openSqlClient } from "../../../src/adapters/storage/open-store.js";
import { type SqlClient, toStoreError } from "../../../src/adapters/storage/sql-client.js";
import { createSqlRolloutStore } from "../../../src/adapters/storage/sql-rollout-store.js";
import { createRolloutService } from "../../../src/app/rollout.js";
import type { RolloutService, RolloutStore } from "../../../src/app/rollout-types.js";
import { createRolloutHarness, type RolloutHarness } from "../../app/rollout-harness.js";
import { truncateStructregTables } from "../../helpers/databases.js";
import { type FakeLaunchDarkly, startFakeLaunchDarkly } from "./fake-launchdarkly.js";

/**
 * LaunchDarkly mode over a real PGlite store and the fake LaunchDarkly: the store and the flag must never
 * silently disagree, whichever step of a change fails.
 */

type PatchFault = "refused" | "answer-lost" | "probe" | undefined;
type CommitFault = "rolled-back" | "committed-but-lost" | undefined;

let db: SqlClient;
let base: RolloutHarness;
beforeAll(async () => {
  db = await openSqlClient({ memory: true });
  base = await createRolloutHarness();
}, 120_000);
afterAll(async () => {
  await base.close();
  await db.close();
});

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The SQL client with a switchable fault on a coming transaction's commit (`skip` transactions first). */
function faultyClient(inner: SqlClient) {
  const faults = { commit: undefined as CommitFault, skip: 0 };
  const client: SqlClient = {
    query: (sql, params) => inner.query(sql, params),
    close: async () => undefined,
    async transaction(fn) {
      const fault = faults.skip-- > 0 ? undefined : faults.commit;
      if (faults.skip < 0) faults.commit = undefined;
      if (fault === "committed-but-lost") {
        await inner.transaction(fn);
        throw toStoreError(new Error("Connection terminated unexpectedly"), "transaction");
      }
      return inner.transaction(async (tx) => {
        const result = await fn(tx);
        if (fault === "rolled-back")
          throw toStoreError(new Error("COMMIT failed: connection lost"), "commit");
        return result;
      });
    },
  };
  return { client, faults };
}

async function ldMode() {
  await truncateStructregTables(db);
  const fake: FakeLaunchDarkly = await startFakeLaunchDarkly([
    { key: "structreg.invoice", variations: [3, 2], stable: 2 },
  ]);
  cleanups.push(() => fake.close());
  const faults = { patch: undefined as PatchFault, probed: undefined as string | undefined };
  let probeStore: RolloutStore | undefined;
  // Faults on the REST client's side of the wire: the fake itself stays the real wire format.
  const faultyFetch: typeof fetch = async (input, init) => {
    const fault = init?.method === "PATCH" ? faults.patch : undefined;
    if (fault !== undefined) faults.patch = undefined;
    if (fault === "refused") return new Response('{"message":"internal"}', { status: 500 });
    if (fault === "probe") {
      // PGlite serves one caller at a time: a transaction open across this call would block the read.
      const read = probeStore?.list().then(() => "answered");
      const timeout = new Promise<string>((r) => setTimeout(() => r("blocked"), 3000));
      faults.probed = await Promise.race([read ?? timeout, timeout]);
    }
    const response = await fetch(input, init);
    if (fault === "answer-lost") throw new TypeError("fetch failed: socket hang up");
    return response;
  };
  const sql = faultyClient(db);
  const store: RolloutStore = createSqlRolloutStore(sql.client);
  probeStore = store;
  const flags = createLaunchDarklyFlagSource({
    sdkKey: "sdk-test-key",
    keyPrefix: "structreg.",
    streamUri: fake.url,
    baseUri: fake.url,
    eventsUri: fake.url,
    initTimeoutSeconds: 2,
    dashboardHint: "flip it in LaunchDarkly",
    propagationTimeoutMs: 2000,
    rest: createLdRestClient({
      baseUri: fake.url,
      apiToken: "api-test-token",
      projectKey: "default",
      environmentKey: "test",
      fetch: faultyFetch,
    }),
  });
  const rollout: RolloutService = createRolloutService({
    store,
    registry: base.registry,
    flags,
    remote: { retryMs: 20 },
  });
  cleanups.push(() => rollout.close());
  await rollout.start();
  return { fake, rollout, store, faults, commitFaults: sql.faults };
}

/** What the fake LaunchDarkly serves now: the last PATCH it accepted, as candidate weight (0 = stable only). */
function servedWeight(fake: FakeLaunchDarkly, candidateId = "id-3"): number {
  const accepted = fake.requests.filter((r) => r.method === "PATCH");
  const last = accepted.at(-1)?.body as { instructions: Array<Record<string, unknown>> } | undefined;
  const instruction = last?.instructions[0];
  if (instruction === undefined || "variationId" in instruction) return 0;
  return (instruction.rolloutWeights as Record<string, number>)[candidateId] ?? 0;
}

async function eventually(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("LaunchDarkly mode keeps the store and the flag in agreement", () => {
  test("a change is committed to the store only after LaunchDarkly took it", async () => {
    const { fake, rollout, store } = await ldMode();
    await rollout.set("invoice", { candidate: 3, percent: 30 }, "alice");
    expect(servedWeight(fake)).toBe(30_000);
    expect(await store.get("invoice")).toMatchObject({ candidate: 3, percent: 30, revision: 1 });
    expect(await store.staleIntents(0)).toEqual([]);
  });

  test("no transaction is open while LaunchDarkly is called: the store answers meanwhile", async () => {
    const { rollout, faults } = await ldMode();
    faults.patch = "probe";
    await rollout.set("invoice", { candidate: 3, percent: 30 }, "alice");
    expect(faults.probed).toBe("answered");
  });

  test("a refused PATCH changes nothing: the store keeps its state and LaunchDarkly is set back", async () => {
    const { fake, rollout, store, faults } = await ldMode();
    await rollout.set("invoice", { candidate: 3, percent: 30 }, "alice");
    faults.patch = "refused";
    await expect(rollout.set("invoice", { percent: 80 }, "alice")).rejects.toMatchObject({
      code: "SR_ROLLOUT_FLAG_UPDATE_FAILED",
    });
    expect(await store.get("invoice")).toMatchObject({ percent: 30, revision: 1 });
    expect(servedWeight(fake)).toBe(30_000);
    expect(await store.staleIntents(0)).toEqual([]);
  });

  test("a PATCH that landed but whose answer was lost is undone in LaunchDarkly", async () => {
    const { fake, rollout, store, faults } = await ldMode();
    await rollout.set("invoice", { candidate: 3, percent: 30 }, "alice");
    faults.patch = "answer-lost";
    await expect(rollout.set("invoice", { percent: 80 }, "alice")).rejects.toMatchObject({
      code: "SR_ROLLOUT_FLAG_UPDATE_FAILED",
    });
    expect(await store.get("invoice")).toMatchObject({ percent: 30, revision: 1 });
    // The lost PATCH (80 %) landed, then the undo set 30 % again.
    expect(fake.requests.filter((r) => r.method === "PATCH").length).toBe(3);
    expect(servedWeight(fake)).toBe(30_000);
  });

  test("a failed COMMIT after the PATCH: LaunchDarkly is set back to what the store holds", async () => {
    const { fake, rollout, store, commitFaults } = await ldMode();
    await rollout.set("invoice", { candidate: 3, percent: 30 }, "alice");
    // The second transaction of the change is its commit (the first records the intent).
    Object.assign(commitFaults, { commit: "rolled-back", skip: 1 });
    await expect(rollout.set("invoice", { percent: 80 }, "alice")).rejects.toMatchObject({
      code: expect.stringMatching(/^SR_STORE_/),
    });
    expect(await store.get("invoice")).toMatchObject({ percent: 30, revision: 1 });
    await eventually(() => servedWeight(fake) === 30_000, "LaunchDarkly serves the stored 30 % again");
    await eventually(async () => (await store.staleIntents(0)).length === 0, "the intent is settled");
    await rollout.set("invoice", { percent: 50 }, "alice");
    expect(servedWeight(fake)).toBe(50_000);
    expect(await store.get("invoice")).toMatchObject({ percent: 50, revision: 2 });
  });

  test("a COMMIT that landed but reported failure leaves both on the new state", async () => {
    const { fake, rollout, store, commitFaults } = await ldMode();
    await rollout.set("invoice", { candidate: 3, percent: 30 }, "alice");
    // The second transaction of the change is its commit (the first records the intent).
    Object.assign(commitFaults, { commit: "committed-but-lost", skip: 1 });
    await expect(rollout.set("invoice", { percent: 80 }, "alice")).rejects.toMatchObject({
      code: expect.stringMatching(/^SR_STORE_/),
    });
    await eventually(async () => (await store.staleIntents(0)).length === 0, "nothing is left to settle");
    await new Promise((r) => setTimeout(r, 200)); // a wrong settle would PATCH back meanwhile
    expect(await store.get("invoice")).toMatchObject({ percent: 80, revision: 2 });
    expect(servedWeight(fake)).toBe(80_000);
  });

  test("an intent left by a process that died between its steps is settled at the next start", async () => {
    const first = await ldMode();
    await first.rollout.set("invoice", { candidate: 3, percent: 30 }, "alice");
    // The dead process's footprint: an intent for 90 % recorded, LaunchDarkly already serving it.
    const current = await first.store.get("invoice");
    await first.store.propose(
      "invoice",
      () => ({
        state: { ...(current as NonNullable<typeof current>), percent: 90, revision: 2 },
        event: {
          subject: "invoice",
          revision: 2,
          action: "set",
          who: "x",
          at: "",
          from: null,
          to: { stable: 2, candidate: 3, percent: 90, stage: "ramping" },
          reason: null,
          figures: null,
        },
      }),
      { token: "dead", leaseMs: 60_000 },
    );
    first.fake.setFallthrough("structreg.invoice", { variation: 0 });
    const restarted = createRolloutService({
      store: first.store,
      registry: base.registry,
      flags: createLaunchDarklyFlagSource({
        sdkKey: "sdk-test-key",
        keyPrefix: "structreg.",
        streamUri: first.fake.url,
        baseUri: first.fake.url,
        eventsUri: first.fake.url,
        initTimeoutSeconds: 2,
        dashboardHint: "x",
        rest: createLdRestClient({
          baseUri: first.fake.url,
          apiToken: "t",
          projectKey: "default",
          environmentKey: "test",
        }),
      }),
      remote: { leaseMs: 0 },
    });
    cleanups.push(() => restarted.close());
    await restarted.start();
    expect(await first.store.staleIntents(0)).toEqual([]);
    expect(servedWeight(first.fake)).toBe(30_000);
  });
});
