import { describe, expect, test } from "vitest";
import { openSchemaStore } from "../../../src/adapters/storage/open-store.js";
import { createTempDatabase, postgresAvailable } from "../../helpers/databases.js";
import { acknowledged, startFixture } from "./child-process.js";

describe.skipIf(!postgresAvailable())("two processes on one PostgreSQL", () => {
  test("register concurrently into one subject with contiguous versions and no lost writes", async () => {
    const db = await createTempDatabase();
    try {
      // Both start from an empty database (racing their migrations), then begin their bursts at one moment,
      // five registrations in flight each.
      const startAt = String(Date.now() + 3_000);
      const children = ["a", "b"].map((prefix) =>
        startFixture("register-loop", [db.url, "orders", prefix, "25", startAt, "5"]),
      );
      const exits = await Promise.all(children.map((c) => c.exited));
      expect(exits, children.map((c) => c.stderr()).join("\n")).toEqual([
        { code: 0, signal: null },
        { code: 0, signal: null },
      ]);
      const acks = children.flatMap(acknowledged);
      expect(acks).toHaveLength(50);

      const store = await openSchemaStore({ databaseUrl: db.url });
      try {
        const stored = await store.listVersions("orders");
        expect(stored.map((v) => v.version)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
        const byVersion = new Map(stored.map((v) => [v.version, v.fingerprint]));
        for (const ack of acks) expect(byVersion.get(ack.version)).toBe(ack.fingerprint);
      } finally {
        await store.close();
      }
    } finally {
      await db.drop();
    }
  });
});
