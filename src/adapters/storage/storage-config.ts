import { DEFAULT_POSTGRES_LIMITS, type PostgresLimits } from "./pg.js";

/** The database's pool size and timeouts (PostgreSQL), and how long a statement may wait in PGlite's queue. */
export interface StorageLimits extends PostgresLimits {
  /** PGlite serves one statement at a time: the longest wait for its turn before SR_STORE_UNAVAILABLE, ms. */
  queueTimeoutMs: number;
}

/** Defaults of the storage limits. */
export const DEFAULT_STORAGE_LIMITS: StorageLimits = { ...DEFAULT_POSTGRES_LIMITS, queueTimeoutMs: 15_000 };

/** The environment variables of the storage limits (rendered in README's configuration table). */
export const STORAGE_CONFIG_VARIABLES = [
  { name: "STRUCTREG_DB_POOL_MAX", default: "10", description: "PostgreSQL: connections in the pool." },
  {
    name: "STRUCTREG_DB_CONNECT_TIMEOUT_MS",
    default: "5000",
    description: "PostgreSQL: longest wait for a connection (new or from a busy pool); then 503.",
  },
  {
    name: "STRUCTREG_DB_STATEMENT_TIMEOUT_MS",
    default: "10000",
    description:
      "PostgreSQL: `statement_timeout` (the client gives up 2 s later on a silent server); then 503.",
  },
  {
    name: "STRUCTREG_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS",
    default: "30000",
    description: "PostgreSQL: `idle_in_transaction_session_timeout` of structreg's sessions.",
  },
  {
    name: "STRUCTREG_DB_KEEPALIVE_MS",
    default: "10000",
    description:
      "PostgreSQL: idle time before the first TCP keepalive probe (0 = off), so a dead peer is noticed.",
  },
  {
    name: "STRUCTREG_DB_QUEUE_TIMEOUT_MS",
    default: "15000",
    description: "PGlite: longest wait of a statement for its turn (PGlite runs one at a time); then 503.",
  },
] as const;

type ReadInt = (name: string, fallback: number, min: number, max: number) => number;

/** Reads the storage limits through the config's integer reader (which names the variable at fault). */
export function readStorageLimits(int: ReadInt): StorageLimits {
  const d = DEFAULT_STORAGE_LIMITS;
  return {
    max: int("STRUCTREG_DB_POOL_MAX", d.max, 1, 1000),
    connectTimeoutMs: int("STRUCTREG_DB_CONNECT_TIMEOUT_MS", d.connectTimeoutMs, 100, 600_000),
    statementTimeoutMs: int("STRUCTREG_DB_STATEMENT_TIMEOUT_MS", d.statementTimeoutMs, 100, 3_600_000),
    idleInTransactionTimeoutMs: int(
      "STRUCTREG_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS",
      d.idleInTransactionTimeoutMs,
      1000,
      3_600_000,
    ),
    keepAliveMs: int("STRUCTREG_DB_KEEPALIVE_MS", d.keepAliveMs, 0, 3_600_000),
    queueTimeoutMs: int("STRUCTREG_DB_QUEUE_TIMEOUT_MS", d.queueTimeoutMs, 100, 3_600_000),
  };
}
