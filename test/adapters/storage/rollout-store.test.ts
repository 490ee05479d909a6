import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { createMemoryRolloutStore } from "../../../src/adapters/storage/memory-rollout-store.js";
import { openSqlClient } from "../../../src/adapters/storage/open-store.js";
import { createSqlRolloutStore } from "../../../src/adapters/storage/sql-rollout-store.js";
import type { RolloutStore } from "../../../src/app/rollout-types.js";
import type { RolloutState } from "../../../src/core/rollout/model.js";
import {
  type ChangeContext,
  planPromote,
  planRollback,
  planSet,
} from "../../../src/core/rollout/transitions.js";
import {
  createTempDatabase,
  postgresAvailable,
  type TempDatabase,
  truncateStructregTables,
} from "../../helpers/databases.js";

const CTX: ChangeContext = { who: "alice", at: "2026-02-03T04:05:06.789Z", defaultStable: 1 };

interface Harness {
  fresh(): Promise<RolloutStore>;
  dispose(): Promise<void>;
}

function describeRolloutStoreContract(name: string, open: () => Promise<Harness>): void {
  describe(`RolloutStore contract: ${name}`, () => {
    let harness: Harness;
    let store: RolloutStore;
    beforeAll(async () => {
      harness = await open();
    }, 60_000);
    afterAll(() => harness.dispose());
    beforeEach(async () => {
      store = await harness.fresh();
    });

    test("stores a planned change and its audit event together", async () => {
      await store.update("invoice", (cur) => planSet(cur, "invoice", { candidate: 2, percent: 12.5 }, CTX));
      expect(await store.get("invoice")).toEqual({
        subject: "invoice",
        stable: 1,
        candidate: 2,
        percent: 12.5,
        stage: "ramping",
        guard: expect.objectContaining({ thresholdPercent: 20, minSample: 100 }),
        revision: 1,
        updatedAt: CTX.at,
        updatedBy: "alice",
      });
      const [event] = await store.history("invoice", { limit: 10 });
      expect(event).toMatchObject({
        subject: "invoice",
        revision: 1,
        action: "set",
        who: "alice",
        at: CTX.at,
      });
      expect(event?.from).toBeNull();
      expect(event?.to).toEqual({ stable: 1, candidate: 2, percent: 12.5, stage: "ramping" });
    });

    test("plans against the current state; history is newest first and pages by id", async () => {
      await store.update("invoice", (cur) => planSet(cur, "invoice", { candidate: 2, percent: 10 }, CTX));
      await store.update("invoice", (cur) => planSet(cur, "invoice", { percent: 20 }, CTX));
      await store.update("invoice", (cur) => planPromote(cur, "invoice", {}, CTX));
      expect(await store.get("invoice")).toMatchObject({ stable: 2, candidate: null, revision: 3 });
      const all = await store.history("invoice", { limit: 10 });
      expect(all.map((e) => e.action)).toEqual(["promote", "set", "set"]);
      const page = await store.history("invoice", { limit: 1, before: all[0]?.id as number });
      expect(page.map((e) => e.revision)).toEqual([2]);
    });

    test("a plan that throws writes nothing", async () => {
      await expect(
        store.update("invoice", (cur) => planSet(cur, "invoice", { candidate: 2, percent: 101 }, CTX)),
      ).rejects.toMatchObject({ code: "SR_ROLLOUT_INVALID_PERCENT" });
      expect(await store.get("invoice")).toBeUndefined();
      expect(await store.history("invoice", { limit: 10 })).toEqual([]);
    });

    test("a proposed change is an intent only: the state changes when it is confirmed", async () => {
      const plan = (cur: RolloutState | undefined) =>
        planSet(cur, "invoice", { candidate: 2, percent: 10 }, CTX);
      const intent = await store.propose("invoice", plan, { token: "t1", leaseMs: 60_000 });
      expect(intent).toMatchObject({ token: "t1", previous: undefined, change: { state: { revision: 1 } } });
      expect(await store.get("invoice")).toBeUndefined();
      await store.confirm(intent);
      expect(await store.get("invoice")).toMatchObject({ candidate: 2, percent: 10, revision: 1 });
      expect(await store.history("invoice", { limit: 10 })).toHaveLength(1);
      expect(await store.staleIntents(0)).toEqual([]);
    });

    test("a pending intent keeps other changes out until its lease runs out, then is replaced", async () => {
      const plan = (cur: RolloutState | undefined) =>
        planSet(cur, "invoice", { candidate: 2, percent: 10 }, CTX);
      const first = await store.propose("invoice", plan, { token: "t1", leaseMs: 60_000 });
      await expect(store.propose("invoice", plan, { token: "t2", leaseMs: 60_000 })).rejects.toMatchObject({
        code: "SR_ROLLOUT_CONFLICT",
        details: { reason: "change-in-progress" },
      });
      expect((await store.staleIntents(0)).map((i) => i.token)).toEqual(["t1"]);
      const second = await store.propose("invoice", plan, { token: "t2", leaseMs: 0 });
      await expect(store.confirm(first)).rejects.toMatchObject({ code: "SR_ROLLOUT_CONFLICT" });
      await store.abandon(first); // no-op: it was replaced
      await store.confirm(second);
      expect(await store.get("invoice")).toMatchObject({ revision: 1 });
    });

    test("an abandoned intent leaves the state as it was", async () => {
      await store.update("invoice", (cur) => planSet(cur, "invoice", { candidate: 2, percent: 10 }, CTX));
      const plan = (cur: RolloutState | undefined) => planSet(cur, "invoice", { percent: 50 }, CTX);
      const intent = await store.propose("invoice", plan, { token: "t1", leaseMs: 60_000 });
      expect(intent.previous).toMatchObject({ percent: 10, revision: 1 });
      await store.abandon(intent);
      expect(await store.get("invoice")).toMatchObject({ percent: 10, revision: 1 });
      await expect(store.confirm(intent)).rejects.toMatchObject({ code: "SR_ROLLOUT_CONFLICT" });
    });

    test("concurrent writes with the same read revision: one wins, the other is a conflict", async () => {
      await store.update("invoice", (cur) => planSet(cur, "invoice", { candidate: 2, percent: 10 }, CTX));
      const results = await Promise.allSettled(
        [20, 30].map((percent) =>
          store.update("invoice", (cur) => planSet(cur, "invoice", { percent, revision: 1 }, CTX)),
        ),
      );
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const failed = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      expect(failed.reason).toMatchObject({ code: "SR_ROLLOUT_CONFLICT" });
      expect((await store.get("invoice"))?.revision).toBe(2);
    });

    test("rollbacks never conflict: each applies on the latest revision", async () => {
      await store.update("invoice", (cur) => planSet(cur, "invoice", { candidate: 2, percent: 10 }, CTX));
      await Promise.all(
        [1, 2, 3].map(() => store.update("invoice", (cur) => planRollback(cur, "invoice", {}, CTX))),
      );
      expect(await store.get("invoice")).toMatchObject({ stage: "rolled_back", revision: 4 });
    });

    test("lists every subject's state", async () => {
      for (const subject of ["b", "a"]) {
        await store.update(subject, (cur) => planSet(cur, subject, { candidate: 2, percent: 1 }, CTX));
      }
      expect((await store.list()).map((s) => s.subject)).toEqual(["a", "b"]);
    });
  });
}

describeRolloutStoreContract("memory", async () => ({
  fresh: async () => createMemoryRolloutStore(),
  dispose: async () => undefined,
}));

describeRolloutStoreContract("PGlite in memory", async () => {
  const client = await openSqlClient({ memory: true });
  const store = createSqlRolloutStore(client);
  return {
    async fresh() {
      await truncateStructregTables(client);
      return store;
    },
    dispose: () => store.close(),
  };
});

describe.skipIf(!postgresAvailable())("PostgreSQL", () => {
  describeRolloutStoreContract("PostgreSQL", async () => {
    const db: TempDatabase = await createTempDatabase();
    const client = await openSqlClient({ databaseUrl: db.url });
    const store = createSqlRolloutStore(client);
    return {
      async fresh() {
        await truncateStructregTables(client);
        return store;
      },
      async dispose() {
        await store.close();
        await db.drop();
      },
    };
  });
});
