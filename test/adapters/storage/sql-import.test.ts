import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openSqlClient } from "../../../src/adapters/storage/open-store.js";
import type { SqlClient } from "../../../src/adapters/storage/sql-client.js";
import { createSqlSchemaStore } from "../../../src/adapters/storage/sql-schema-store.js";
import { allow, input } from "./schema-store-fixtures.js";

/**
 * The id sequence against imported ids, below the store's API: an id taken behind the sequence's back (an
 * import that committed between another transaction's draw and its insert) makes the draw repeat.
 */
describe("SQL store: drawn ids against imported ones (PGlite)", () => {
  let client: SqlClient;
  beforeAll(async () => {
    client = await openSqlClient({ memory: true });
  }, 120_000);
  afterAll(() => client.close());

  test("a drawn id already taken is drawn again, not a duplicate-key failure", async () => {
    const store = createSqlSchemaStore(client);
    const first = await store.register(input("orders", 1), allow);
    // Take the next two ids without moving the sequence, as a racing import would.
    await client.query(
      "INSERT INTO structreg_schemas (id, fingerprint, schema) VALUES ($1, 'x1', '{}'), ($2, 'x2', '{}')",
      [first.id + 1, first.id + 2],
    );
    const next = await store.register(input("orders", 2), allow);
    expect(next).toMatchObject({ id: first.id + 3, version: 2, created: true });
  });

  test("an import never lowers the sequence", async () => {
    const store = createSqlSchemaStore(client);
    await store.register({ ...input("high", 10), id: 5000, version: 1 }, allow);
    await store.register({ ...input("low", 11), id: 4000, version: 1 }, allow);
    expect((await store.register(input("drawn", 12), allow)).id).toBe(5001);
  });
});
