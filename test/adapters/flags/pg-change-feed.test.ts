import { afterAll, describe, expect, test } from "vitest";
import { createPgChangeFeed, createPollingChangeFeed } from "../../../src/adapters/flags/change-feed.js";
import { createEmbeddedFlagSource } from "../../../src/adapters/flags/embedded-flags.js";
import { openSqlClient } from "../../../src/adapters/storage/open-store.js";
import { createSqlRolloutStore, ROLLOUT_CHANNEL } from "../../../src/adapters/storage/sql-rollout-store.js";
import { createRolloutService } from "../../../src/app/rollout.js";
import type { RolloutService } from "../../../src/app/rollout-types.js";
import { createRolloutHarness } from "../../app/rollout-harness.js";
import { createTempDatabase, postgresAvailable, type TempDatabase } from "../../helpers/databases.js";

describe.skipIf(!postgresAvailable())("rollout changes across processes sharing PostgreSQL", () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  test("a change made through one service reaches another within 2 s by LISTEN/NOTIFY alone", async () => {
    const db: TempDatabase = await createTempDatabase();
    cleanups.push(() => db.drop());
    const base = await createRolloutHarness();
    cleanups.push(() => base.close());
    const open = async (): Promise<RolloutService> => {
      const store = createSqlRolloutStore(await openSqlClient({ databaseUrl: db.url }));
      // Polling every minute: within the test only a notification can deliver the change.
      const feed = createPgChangeFeed({
        connectionString: db.url,
        channel: ROLLOUT_CHANNEL,
        fallback: createPollingChangeFeed(async () => [], 60_000),
      });
      const service = createRolloutService({
        store,
        registry: base.registry,
        flags: createEmbeddedFlagSource({ keyPrefix: "structreg." }),
        feed,
      });
      cleanups.push(async () => {
        await service.close();
        await store.close();
      });
      await service.start();
      return service;
    };
    const [a, b] = [await open(), await open()];
    await new Promise((r) => setTimeout(r, 300)); // the listener connects
    const live = await base.live();
    await a.set("invoice", { candidate: 3, percent: 100 }, "ops");
    const started = Date.now();
    while ((await b.decide("invoice", "k1", live)).version !== 3) {
      expect(Date.now() - started).toBeLessThan(2000);
      await new Promise((r) => setTimeout(r, 10));
    }
    await a.rollback("invoice", "ops");
    const rolledBack = Date.now();
    while ((await b.decide("invoice", "k1", live)).version !== 2) {
      expect(Date.now() - rolledBack).toBeLessThan(2000);
      await new Promise((r) => setTimeout(r, 10));
    }
  }, 30_000);
});
