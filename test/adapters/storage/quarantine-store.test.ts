import { createMemoryQuarantineStore } from "../../../src/adapters/storage/memory-quarantine-store.js";
import { openSqlClient } from "../../../src/adapters/storage/open-store.js";
import type { SqlClient } from "../../../src/adapters/storage/sql-client.js";
import { createSqlQuarantineStore } from "../../../src/adapters/storage/sql-quarantine-store.js";
import {
  createTempDatabase,
  postgresAvailable,
  type TempDatabase,
  truncateStructregTables,
} from "../../helpers/databases.js";
import { describeQuarantineStoreContract, type QuarantineHarness } from "./quarantine-store.contract.js";

describeQuarantineStoreContract("memory", async () => ({
  fresh: async () => createMemoryQuarantineStore(),
  dispose: async () => undefined,
}));

/** One PGlite instance for the suite (each costs ~400 MiB that close never returns), emptied before each test. */
describeQuarantineStoreContract("PGlite in memory", async () => {
  const client = await openSqlClient({ memory: true });
  const store = createSqlQuarantineStore(client);
  return {
    async fresh() {
      await truncateStructregTables(client);
      return store;
    },
    dispose: () => client.close(),
  };
});

/** One throwaway database for the suite, emptied before each test. */
async function postgresHarness(): Promise<QuarantineHarness> {
  const db: TempDatabase = await createTempDatabase();
  let client: SqlClient;
  try {
    client = await openSqlClient({ databaseUrl: db.url });
  } catch (err) {
    await db.drop();
    throw err;
  }
  const store = createSqlQuarantineStore(client);
  return {
    async fresh() {
      await truncateStructregTables(client);
      return store;
    },
    async dispose() {
      await client.close();
      await db.drop();
    },
  };
}

describeQuarantineStoreContract("PostgreSQL", postgresHarness, { skip: !postgresAvailable(true) });
