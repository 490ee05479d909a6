import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { migrate } from "../../../src/adapters/storage/migrate.js";
import { MIGRATIONS, type Migration } from "../../../src/adapters/storage/migrations/index.js";
import { openPostgres } from "../../../src/adapters/storage/pg.js";
import { openPglite } from "../../../src/adapters/storage/pglite.js";
import type { SqlClient } from "../../../src/adapters/storage/sql-client.js";
import { createTempDatabase, postgresAvailable, type TempDatabase } from "../../helpers/databases.js";

const LAST = (MIGRATIONS.at(-1) as Migration).version;
const EXTRA: Migration = {
  version: LAST + 1,
  name: "extra",
  sql: "CREATE TABLE structreg_extra (x int)",
};

describe("migrate on PGlite", () => {
  let client: SqlClient;
  beforeAll(async () => {
    client = await openPglite({});
  });
  afterAll(() => client.close());

  test("applies every migration once, in order, and records it", async () => {
    const first = await migrate(client);
    expect(first.applied).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await migrate(client)).toEqual({ applied: [], current: LAST });
    const rows = await client.query<{ version: number; name: string }>(
      "SELECT version, name FROM structreg_migrations ORDER BY version",
    );
    expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
  });

  test("applies a later migration on top of earlier ones", async () => {
    expect(await migrate(client, [...MIGRATIONS, EXTRA])).toEqual({
      applied: [EXTRA.version],
      current: EXTRA.version,
    });
    expect(await client.query("SELECT count(*)::int AS n FROM structreg_extra")).toEqual([{ n: 0 }]);
  });

  test("refuses a database migrated by a newer structreg", async () => {
    await expect(migrate(client, MIGRATIONS)).rejects.toMatchObject({
      code: "SR_STORE_ERROR",
      message: expect.stringContaining(`migration ${EXTRA.version}`),
    });
  });

  test("rolls back a failing migration entirely", async () => {
    const broken: Migration = {
      version: EXTRA.version + 1,
      name: "broken",
      sql: "CREATE TABLE ok_t (x int); SELEC nope",
    };
    await expect(migrate(client, [...MIGRATIONS, EXTRA, broken])).rejects.toMatchObject({
      code: "SR_STORE_ERROR",
    });
    expect(await client.query("SELECT to_regclass('ok_t') IS NULL AS absent")).toEqual([{ absent: true }]);
  });

  test("refuses a migration list whose numbers do not rise", async () => {
    await expect(migrate(client, [...MIGRATIONS, { ...EXTRA, version: LAST }])).rejects.toMatchObject({
      code: "SR_INTERNAL",
    });
  });
});

describe.skipIf(!postgresAvailable())("migrate on PostgreSQL", () => {
  let db: TempDatabase;
  beforeAll(async () => {
    db = await createTempDatabase();
  });
  afterAll(() => db.drop());

  test("lets several clients migrate one database at once: exactly one applies each migration", async () => {
    const clients = await Promise.all(
      Array.from({ length: 4 }, () => openPostgres({ connectionString: db.url })),
    );
    try {
      const results = await Promise.all(clients.map((c) => migrate(c)));
      expect(results.flatMap((r) => r.applied).sort()).toEqual(MIGRATIONS.map((m) => m.version));
      expect(results.every((r) => r.current === LAST)).toBe(true);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  });
});
