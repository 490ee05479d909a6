import { describe, expect, test } from "vitest";
import { type OpenStoreOptions, openStores } from "../../../src/adapters/storage/open-store.js";
import { createTempDatabase, createTempDir, postgresAvailable } from "../../helpers/databases.js";
import { type Child, startFixture } from "./child-process.js";

/** Samples the child printed as acknowledged (`ack <id> <rawSha256>`). */
function acknowledgedSamples(child: Child): Array<{ id: number; sha: string }> {
  return child.lines
    .map((l) => /^ack (\d+) (\S+)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ id: Number(m[1]), sha: m[2] ?? "" }));
}

/**
 * A child adds samples in a loop (several in flight) and prints each acknowledged id; it is killed with
 * SIGKILL mid-burst. Every acknowledged sample must be there after reopening: `add` resolves only once durable.
 */
async function killMidBurstAndCheck(target: string, options: OpenStoreOptions): Promise<void> {
  const child = startFixture("quarantine-store-add-loop", [target, "orders", "100000", "4"]);
  await child.waitForLine(/^ack 60 /);
  child.process.kill("SIGKILL");
  expect((await child.exited).signal).toBe("SIGKILL");
  const acks = acknowledgedSamples(child);
  expect(acks.length).toBeGreaterThanOrEqual(60);

  const stores = await openStores(options);
  try {
    for (const ack of acks) {
      expect(await stores.quarantine.get(ack.id), `sample ${ack.id}`).toMatchObject({
        subject: "orders",
        rawSha256: ack.sha,
      });
    }
    const [counts] = await stores.quarantine.counts();
    // At most the adds in flight at the kill may have committed without being acknowledged.
    expect((counts?.open ?? 0) - acks.length).toBeLessThanOrEqual(4);
  } finally {
    await stores.close();
  }
}

// A child starting PGlite and writing through its files is slow on a loaded machine: a generous budget.
const TIMEOUT = { timeout: 90_000 };

describe("quarantine durability under SIGKILL", () => {
  test("PGlite keeps every acknowledged sample", TIMEOUT, async () => {
    const dir = await createTempDir("structreg-quarantine-durability-");
    try {
      await killMidBurstAndCheck(dir.path, { dataDir: dir.path });
    } finally {
      await dir.remove();
    }
  });

  test.skipIf(!postgresAvailable())("PostgreSQL keeps every acknowledged sample", TIMEOUT, async () => {
    const db = await createTempDatabase();
    try {
      await killMidBurstAndCheck(db.url, { databaseUrl: db.url });
    } finally {
      await db.drop();
    }
  });
});
