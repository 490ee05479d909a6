import type { QuarantineStore, SchemaStore } from "../../app/ports.js";
import { StructregError } from "../../core/errors.js";
import { migrate } from "./migrate.js";
import { openPostgres } from "./pg.js";
import { openPglite } from "./pglite.js";
import type { SqlClient } from "./sql-client.js";
import { createSqlQuarantineStore } from "./sql-quarantine-store.js";
import { createSqlSchemaStore } from "./sql-schema-store.js";
import type { StorageLimits } from "./storage-config.js";

/** Which database to open: PostgreSQL (databaseUrl), PGlite in a folder (dataDir), or PGlite in memory. */
export interface OpenStoreOptions {
  databaseUrl?: string;
  dataDir?: string;
  /** PGlite without files (nothing survives close). Ignored when databaseUrl is set. */
  memory?: boolean;
  /** Pool size and timeouts (defaults: DEFAULT_STORAGE_LIMITS). */
  limits?: Partial<StorageLimits>;
}

/**
 * Opens the SQL client the options name and applies pending migrations: PostgreSQL when `databaseUrl` is set,
 * else PGlite in `dataDir` (created if missing, locked while open), else in memory when `memory` is true.
 */
export async function openSqlClient(options: OpenStoreOptions): Promise<SqlClient> {
  const client = await openClient(options);
  try {
    await migrate(client);
  } catch (err) {
    await client.close().catch(() => undefined);
    throw err;
  }
  return client;
}

/** Opens the SchemaStore the options name, with migrations applied. */
export async function openSchemaStore(options: OpenStoreOptions): Promise<SchemaStore> {
  return createSqlSchemaStore(await openSqlClient(options));
}

/** Every store over one SqlClient (PGlite is one instance per process, so the stores must share it). */
export interface Stores {
  schemas: SchemaStore;
  quarantine: QuarantineStore;
  client: SqlClient;
  /** Closes the shared client (and with it every store); safe to call more than once. */
  close(): Promise<void>;
}

/** Opens the database the options name, with migrations applied, and every store over it. */
export async function openStores(options: OpenStoreOptions): Promise<Stores> {
  const client = await openSqlClient(options);
  return {
    schemas: createSqlSchemaStore(client),
    quarantine: createSqlQuarantineStore(client),
    client,
    close: () => client.close(),
  };
}

function openClient(options: OpenStoreOptions): Promise<SqlClient> {
  const limits = options.limits ?? {};
  if (options.databaseUrl !== undefined && options.databaseUrl !== "") {
    return openPostgres({ ...limits, connectionString: options.databaseUrl });
  }
  const queue = limits.queueTimeoutMs === undefined ? {} : { queueTimeoutMs: limits.queueTimeoutMs };
  if (options.dataDir !== undefined && options.dataDir !== "")
    return openPglite({ dataDir: options.dataDir, ...queue });
  if (options.memory === true) return openPglite(queue);
  // Refuse rather than silently fall back to memory, which would lose every registration on restart.
  throw new StructregError("SR_CONFIG_INVALID", "No store configured: set databaseUrl, dataDir or memory.");
}
