import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openSqlClient } from "../../../src/adapters/storage/open-store.js";
import { createSqlAcceptedSampleStore } from "../../../src/adapters/storage/sql-accepted-samples.js";
import type { SqlClient } from "../../../src/adapters/storage/sql-client.js";
import { createTempDatabase, postgresAvailable, type TempDatabase } from "../../helpers/databases.js";

function describeStore(
  name: string,
  open: () => Promise<{ client: SqlClient; drop?: () => Promise<void> }>,
  skip = false,
) {
  (skip ? describe.skip : describe)(`accepted samples on ${name}`, () => {
    let client: SqlClient;
    let drop: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      ({ client, drop } = await open());
    });
    afterAll(async () => {
      await client.close();
      await drop?.();
    });

    test("writes a batch, keeps the newest maxPerSubject of each subject, lists newest first", async () => {
      const store = createSqlAcceptedSampleStore(client);
      const batch = [1, 2, 3, 4].map((n) => ({ subject: "a", version: 1, raw: `{"n": ${n}}` }));
      await store.add([...batch, { subject: "b", version: 2, raw: "{}" }], 3);
      await store.add([{ subject: "a", version: 2, raw: '{"n": 5}' }], 3);
      const a = await store.list("a", 10);
      expect(a.map((s) => s.raw)).toEqual(['{"n": 5}', '{"n": 4}', '{"n": 3}']);
      expect(a[0]).toMatchObject({ subject: "a", version: 2, id: expect.any(Number) });
      expect(a[0]!.at).toMatch(/Z$/);
      expect(await store.list("b", 10)).toHaveLength(1);
      expect(await store.list("a", 1)).toHaveLength(1);
    });
  });
}

describeStore("PGlite", async () => ({ client: await openSqlClient({ memory: true }) }));
describeStore(
  "PostgreSQL",
  async () => {
    const db: TempDatabase = await createTempDatabase();
    return { client: await openSqlClient({ databaseUrl: db.url }), drop: () => db.drop() };
  },
  !postgresAvailable(true),
);
