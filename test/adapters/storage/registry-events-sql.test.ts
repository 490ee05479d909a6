import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openSqlClient } from "../../../src/adapters/storage/open-store.js";
import type { SqlClient } from "../../../src/adapters/storage/sql-client.js";
import { createSqlSchemaStore } from "../../../src/adapters/storage/sql-schema-store.js";
import type { Audit } from "../../../src/app/registry-events.js";
import { allow, input } from "./schema-store-fixtures.js";

const DAY_MS = 86_400_000;

function registered(maxAgeMs: number): Audit<{ version: number }> {
  return {
    retention: { maxPerSubject: 100, maxAgeMs },
    describe: (r) => ({
      subject: "orders",
      kind: "registered",
      version: r.version,
      changes: {},
      who: "t",
      scope: null,
      reason: null,
    }),
  };
}

describe("registry event retention by age (PGlite)", () => {
  let client: SqlClient;
  beforeAll(async () => {
    client = await openSqlClient({ memory: true });
  });
  afterAll(() => client.close());

  test("a write drops the subject's events older than maxAgeMs; 0 keeps them", async () => {
    const store = createSqlSchemaStore(client);
    await store.register(input("orders", 1), allow, registered(0));
    await client.query("UPDATE structreg_registry_events SET at = now() - interval '3 days'");
    await store.register(input("orders", 2), allow, registered(0));
    expect(await store.listEvents("orders", { limit: 10 })).toHaveLength(2);
    await store.register(input("orders", 3), allow, registered(2 * DAY_MS));
    const kept = await store.listEvents("orders", { limit: 10 });
    expect(kept.map((e) => e.version)).toEqual([3, 2]);
  });
});
