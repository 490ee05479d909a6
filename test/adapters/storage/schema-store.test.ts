import { createMemorySchemaStore } from "../../../src/adapters/storage/memory-schema-store.js";
import { openSqlClient } from "../../../src/adapters/storage/open-store.js";
import { createSqlSchemaStore } from "../../../src/adapters/storage/sql-schema-store.js";
import type { SchemaStore } from "../../../src/app/ports.js";
import {
  createTempDatabase,
  createTempDir,
  postgresAvailable,
  type TempDatabase,
  truncateStructregTables,
} from "../../helpers/databases.js";
import { describeSchemaStoreContract, type StoreHarness } from "./schema-store.contract.js";

describeSchemaStoreContract("memory", async () => ({
  fresh: async () => createMemorySchemaStore(),
  dispose: async () => undefined,
}));

/** One PGlite instance per suite (each costs ~400 MiB that close never returns), emptied before each test. */
async function pgliteHarness(dataDir: string | undefined): Promise<StoreHarness> {
  const client = await openSqlClient(dataDir === undefined ? { memory: true } : { dataDir });
  const store = createSqlSchemaStore(client);
  return {
    async fresh() {
      await truncateStructregTables(client);
      return store;
    },
    dispose: () => store.close(),
  };
}

describeSchemaStoreContract("PGlite in memory", () => pgliteHarness(undefined));

describeSchemaStoreContract("PGlite in a data folder", async () => {
  const dir = await createTempDir();
  const inner = await pgliteHarness(dir.path);
  return {
    fresh: inner.fresh,
    async dispose() {
      await inner.dispose();
      await dir.remove();
    },
  };
});

/** A new database per test, dropped when the next test starts or the suite ends. */
async function postgresHarness(): Promise<StoreHarness> {
  let current: { db: TempDatabase; store: SchemaStore } | undefined;
  const release = async (): Promise<void> => {
    if (current === undefined) return;
    await current.store.close();
    await current.db.drop();
    current = undefined;
  };
  return {
    async fresh() {
      await release();
      const db = await createTempDatabase();
      const client = await openSqlClient({ databaseUrl: db.url });
      current = { db, store: createSqlSchemaStore(client) };
      return current.store;
    },
    dispose: release,
  };
}

describeSchemaStoreContract("PostgreSQL", postgresHarness, { skip: !postgresAvailable(true) });
