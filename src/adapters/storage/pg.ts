import pg from "pg";
import { runTransaction, type SqlClient, type SqlExecutor, toStoreError } from "./sql-client.js";

/** Connection settings for PostgreSQL. */
export interface PostgresOptions {
  /** `postgres://user:password@host:port/database`. */
  connectionString: string;
  /** Pool size (default 10). */
  max?: number;
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
    connectionString: options.connectionString,
    max: options.max ?? 10,
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

/** BEGIN/COMMIT on one pooled client; ROLLBACK when the body throws. A client that fails to roll back is discarded. */
async function inTransaction<T>(pool: pg.Pool, body: (tx: SqlExecutor) => Promise<T>): Promise<T> {
  const conn = await pool.connect();
  let broken = false;
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
    conn.release(broken);
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
