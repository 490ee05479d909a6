import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createPgChangeFeed } from "../../../src/adapters/flags/change-feed.js";
import type { RolloutChangeFeed } from "../../../src/app/rollout-types.js";
import { type OwnPostgres, ownPostgresAvailable, startOwnPostgres } from "../../helpers/own-postgres.js";

async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function notify(url: string, subject: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_notify('structreg_rollout', $1)", [subject]);
  } finally {
    await client.end();
  }
}

describe.skipIf(!ownPostgresAvailable())("the LISTEN connection across a PostgreSQL restart", () => {
  let cluster: OwnPostgres;
  beforeAll(async () => {
    cluster = await startOwnPostgres();
  }, 120_000);
  afterAll(() => cluster?.destroy(), 60_000);

  test("reconnects by itself, resyncs revisions once listening again, and hears notifications", async () => {
    let resyncs = 0;
    const fallback: RolloutChangeFeed = {
      subscribe: () => undefined,
      resync: async () => {
        resyncs++;
      },
      close: async () => undefined,
    };
    const feed = createPgChangeFeed({
      connectionString: cluster.url,
      channel: "structreg_rollout",
      fallback,
      reconnectMs: 50,
      maxReconnectMs: 500,
    });
    const heard: string[] = [];
    feed.subscribe((subject) => heard.push(subject));
    try {
      await until("listening", () => feed.listening?.() === true, 10_000);
      await notify(cluster.url, "before");
      await until("the first notification", () => heard.includes("before"), 5000);
      const resyncsBefore = resyncs;
      await cluster.stop("fast");
      await until("the lost connection is noticed", () => feed.listening?.() === false, 10_000);
      await cluster.start();
      await until("listening again", () => feed.listening?.() === true, 20_000);
      expect(resyncs).toBeGreaterThan(resyncsBefore);
      await notify(cluster.url, "after");
      await until("a notification after the restart", () => heard.includes("after"), 5000);
    } finally {
      await feed.close();
    }
  }, 120_000);
});
