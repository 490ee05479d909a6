import pg from "pg";
import { runTransaction, type SqlClient, type SqlExecutor, toStoreError } from "./sql-client.js";

/** Connection settings for PostgreSQL. */
export interface PostgresOptions extends Partial<PostgresLimits> {
  /** `postgres://user:password@host:port/database`. */
  connectionString: string;
}

/** Pool size and the timeouts that keep a lost or stuck database from hanging requests. */
export interface PostgresLimits {
  /** Pool size. */
  max: number;
  /** Longest wait for a connection (a new one, or a free one from a full pool), ms. */
  connectTimeoutMs: number;
  /** statement_timeout: the server cancels a longer statement, ms (the client gives up 2 s later). */
  statementTimeoutMs: number;
  /** idle_in_transaction_session_timeout: the server ends a transaction left idle this long, ms. */
  idleInTransactionTimeoutMs: number;
  /** TCP keepalive's first probe after this much idleness, ms (0 = keepalive off). */
  keepAliveMs: number;
}

/** Defaults: a request never waits on the database for much longer than ~15 s, however it fails. */
export const DEFAULT_POSTGRES_LIMITS: PostgresLimits = {
  max: 10,
  connectTimeoutMs: 5000,
  statementTimeoutMs: 10_000,
  idleInTransactionTimeoutMs: 30_000,
  keepAliveMs: 10_000,
};

/** The pg client settings for `limits` (the pool and the LISTEN connection of the change feed share them). */
export function pgClientConfig(
  connectionString: string,
  limits: Partial<PostgresLimits> = {},
): pg.ClientConfig {
  const l = { ...DEFAULT_POSTGRES_LIMITS, ...limits };
  return {
    connectionString,
    application_name: "structreg",
    connectionTimeoutMillis: l.connectTimeoutMs,
    statement_timeout: l.statementTimeoutMs,
    // Client side too: a server that stopped answering (a dropped network) never sends the cancellation.
    query_timeout: l.statementTimeoutMs + 2000,
    idle_in_transaction_session_timeout: l.idleInTransactionTimeoutMs,
    keepAlive: l.keepAliveMs > 0,
    keepAliveInitialDelayMillis: l.keepAliveMs,
  };
}

const INT8_OID = 20;

/** int8 (bigint, count(*)) as a number when it fits exactly, else the text pg would have given. */
function parseInt8(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

/** Per-pool type parsers, so the process-global `pg.types` stays untouched for other users of pg. */
const TYPES = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8_OID && format !== "binary"
      ? parseInt8
      : pg.types.getTypeParser(oid, format ?? "text")) as typeof pg.types.getTypeParser,
};

/** Opens a pool to PostgreSQL and checks it answers; failures are SR_STORE_ERROR with the cause. */
export async function openPostgres(options: PostgresOptions): Promise<SqlClient> {
  const pool = new pg.Pool({
    ...pgClientConfig(options.connectionString, options),
    max: options.max ?? DEFAULT_POSTGRES_LIMITS.max,
    types: TYPES,
  });
  // An idle client losing its connection emits 'error' on the pool; unhandled, that would crash the process.
  // The next query reports the failure instead.
  pool.on("error", () => undefined);
  try {
    await pool.query("SELECT 1");
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw toStoreError(err, "connecting to PostgreSQL");
  }
  return createPgClient(pool);
}

function createPgClient(pool: pg.Pool): SqlClient {
  let closed: Promise<void> | undefined;
  return {
    query: <T>(sql: string, params?: unknown[]) => runQuery<T>(pool, sql, params),
    transaction: <T>(fn: (tx: SqlExecutor) => Promise<T>) =>
      runTransaction<T>((body) => inTransaction(pool, body), fn),
    close() {
      closed ??= pool.end().catch((err: unknown) => {
        throw toStoreError(err, "closing the PostgreSQL pool");
      });
      return closed;
    },
  };
}

/**
 * BEGIN/COMMIT on one pooled client; ROLLBACK when the body throws. A client that fails to roll back, or whose
 * connection was lost, is discarded.
 */
async function inTransaction<T>(pool: pg.Pool, body: (tx: SqlExecutor) => Promise<T>): Promise<T> {
  const conn = await connect(pool);
  let broken = false;
  // The pool stops listening for errors on a checked-out client: a connection lost between two statements
  // (a restart's admin_shutdown) would be an unhandled 'error' event, which ends the process. The next
  // statement reports it instead.
  const lost = (): void => {
    broken = true;
  };
  conn.on("error", lost);
  try {
    await conn.query("BEGIN");
    try {
      const result = await body({
        query: <R>(sql: string, params?: unknown[]) => runQuery<R>(conn, sql, params),
      });
      await conn.query("COMMIT");
      return result;
    } catch (err) {
      await conn.query("ROLLBACK").catch(() => {
        broken = true;
      });
      throw err;
    }
  } finally {
    conn.removeListener("error", lost);
    conn.release(broken);
  }
}

async function connect(pool: pg.Pool): Promise<pg.PoolClient> {
  try {
    return await pool.connect();
  } catch (err) {
    throw toStoreError(err, "connecting to PostgreSQL");
  }
}

async function runQuery<T>(
  runner: pg.Pool | pg.PoolClient,
  sql: string,
  params: unknown[] | undefined,
): Promise<T[]> {
  try {
    const result = await runner.query(sql, params === undefined || params.length === 0 ? undefined : params);
    // Several statements (simple protocol) give an array of results: return the last one's rows.
    const last: pg.QueryResult = Array.isArray(result) ? (result.at(-1) as pg.QueryResult) : result;
    return (last?.rows ?? []) as T[];
  } catch (err) {
    throw toStoreError(err, "query");
  }
}
