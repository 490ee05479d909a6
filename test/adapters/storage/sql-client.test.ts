import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openPostgres } from "../../../src/adapters/storage/pg.js";
import { openPglite } from "../../../src/adapters/storage/pglite.js";
import type { SqlClient } from "../../../src/adapters/storage/sql-client.js";
import { StructregError } from "../../../src/core/errors.js";
import { createTempDatabase, postgresAvailable, type TempDatabase } from "../../helpers/databases.js";

function describeSqlClient(
  name: string,
  open: () => Promise<{ client: SqlClient; dispose(): Promise<void> }>,
) {
  describe(`SqlClient: ${name}`, () => {
    let client: SqlClient;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      ({ client, dispose } = await open());
      await client.query("CREATE TABLE t (n integer PRIMARY KEY, big bigint)");
    });
    afterAll(() => dispose());

    test("returns rows with ::int counts and safe bigints as numbers", async () => {
      await client.query("INSERT INTO t (n, big) VALUES ($1, $2), ($3, $4)", [1, 2 ** 40, 2, 5]);
      expect(await client.query("SELECT count(*)::int AS c, max(big) AS m FROM t", [0].slice(1))).toEqual([
        { c: 2, m: 2 ** 40 },
      ]);
      await client.query("DELETE FROM t");
    });

    test("runs several statements without params and returns the last one's rows", async () => {
      expect(await client.query("SELECT 1 AS a; SELECT 2 AS b")).toEqual([{ b: 2 }]);
    });

    test("commits a transaction and rolls it back when the body throws, keeping the body's error", async () => {
      await client.transaction((tx) => tx.query("INSERT INTO t (n) VALUES (10)"));
      const refusal = new StructregError("SR_INCOMPATIBLE_SCHEMA", "no");
      await expect(
        client.transaction(async (tx) => {
          await tx.query("INSERT INTO t (n) VALUES (11)");
          throw refusal;
        }),
      ).rejects.toBe(refusal);
      expect(await client.query<{ n: number }>("SELECT n FROM t ORDER BY n")).toEqual([{ n: 10 }]);
      await client.query("DELETE FROM t");
    });

    test("reports an SQL error as SR_STORE_ERROR with the driver's error as cause, and keeps working", async () => {
      const failure = client.query("SELECT * FROM no_such_table");
      await expect(failure).rejects.toMatchObject({ code: "SR_STORE_ERROR", cause: expect.any(Error) });
      await expect(
        client.transaction((tx) => tx.query("INSERT INTO t (n) VALUES (1), (1)")),
      ).rejects.toMatchObject({ code: "SR_STORE_ERROR" });
      expect(await client.query("SELECT 1 AS ok")).toEqual([{ ok: 1 }]);
    });

    test("keeps concurrent transactions and plain queries apart (a rollback never takes others' writes)", async () => {
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          i % 2 === 0
            ? client.transaction(async (tx) => {
                await tx.query("INSERT INTO t (n) VALUES ($1)", [1000 + i]);
                throw new Error("roll back");
              })
            : client.query("INSERT INTO t (n) VALUES ($1)", [1000 + i]),
        ),
      );
      expect(results.filter((r) => r.status === "rejected")).toHaveLength(10);
      const rows = await client.query<{ n: number }>("SELECT n FROM t ORDER BY n");
      expect(rows.map((r) => r.n)).toEqual([1001, 1003, 1005, 1007, 1009, 1011, 1013, 1015, 1017, 1019]);
      await client.query("DELETE FROM t");
    });
  });
}

describeSqlClient("PGlite", async () => {
  const client = await openPglite({});
  return { client, dispose: () => client.close() };
});

describe.skipIf(!postgresAvailable())("PostgreSQL", () => {
  let db: TempDatabase;
  beforeAll(async () => {
    db = await createTempDatabase();
  });
  afterAll(() => db.drop());
  describeSqlClient("pg pool", async () => {
    const client = await openPostgres({ connectionString: db.url, max: 4 });
    return { client, dispose: () => client.close() };
  });
});

test("reports an unreachable PostgreSQL as SR_STORE_UNAVAILABLE (503: retry) with the cause", async () => {
  // Port 1 on loopback: nothing listens there, so the connection is refused at once.
  await expect(
    openPostgres({ connectionString: "postgres://nobody@127.0.0.1:1/none" }),
  ).rejects.toMatchObject({
    code: "SR_STORE_UNAVAILABLE",
    status: 503,
    hint: expect.stringContaining("retry"),
    message: expect.stringContaining("connecting to PostgreSQL"),
    cause: expect.objectContaining({ code: "ECONNREFUSED" }),
  });
});
