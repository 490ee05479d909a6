import { describe, expect, test } from "vitest";
import { type OpenStoreOptions, openSchemaStore } from "../../../src/adapters/storage/open-store.js";
import { createTempDatabase, createTempDir, postgresAvailable } from "../../helpers/databases.js";
import { acknowledged, startFixture } from "./child-process.js";

/**
 * A child registers versions in a loop and prints each acknowledged one; it is killed with SIGKILL mid-burst.
 * Every acknowledged version must be there after reopening (a commit is only acknowledged once durable).
 */
async function killMidBurstAndCheck(target: string, options: OpenStoreOptions): Promise<void> {
  const child = startFixture("register-loop", [target, "orders", "burst", "100000"]);
  await child.waitForLine(/^ack 40 /);
  child.process.kill("SIGKILL");
  expect((await child.exited).signal).toBe("SIGKILL");
  const acks = acknowledged(child);
  expect(acks.length).toBeGreaterThanOrEqual(40);

  const store = await openSchemaStore(options);
  try {
    const stored = await store.listVersions("orders");
    const byVersion = new Map(stored.map((v) => [v.version, v.fingerprint]));
    for (const ack of acks) expect(byVersion.get(ack.version)).toBe(ack.fingerprint);
    // At most the one registration in flight at the kill may have committed without being acknowledged.
    expect(stored.length - acks.length).toBeLessThanOrEqual(1);
    expect(stored.map((v) => v.version)).toEqual(stored.map((_, i) => i + 1));
  } finally {
    await store.close();
  }
}

describe("durability under SIGKILL", () => {
  test("PGlite keeps every acknowledged version", async () => {
    const dir = await createTempDir("structreg-durability-");
    try {
      await killMidBurstAndCheck(dir.path, { dataDir: dir.path });
    } finally {
      await dir.remove();
    }
  });

  test.skipIf(!postgresAvailable())("PostgreSQL keeps every acknowledged version", async () => {
    const db = await createTempDatabase();
    try {
      await killMidBurstAndCheck(db.url, { databaseUrl: db.url });
    } finally {
      await db.drop();
    }
  });
});
