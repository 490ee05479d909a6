import { isStructregError, StructregError } from "../../core/errors.js";

/**
 * The two-method client every SQL store is written against (plus `close`). SQL is PostgreSQL 15 and also
 * runs on PGlite. A query without parameters may hold several statements (simple protocol, as in `pg`);
 * the rows of the last statement are returned.
 */
export interface SqlClient {
  /** Runs one statement (or several, without params) and returns its rows. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Releases connections, locks and memory. */
  close(): Promise<void>;
}

/** What a transaction body may do: query, nothing else. */
export type SqlExecutor = Pick<SqlClient, "query">;

/** Wraps a driver failure (connection refused, SQL error …) as SR_STORE_ERROR; StructregErrors pass through. */
export function toStoreError(err: unknown, what: string): StructregError {
  if (isStructregError(err)) return err;
  const reason = err instanceof Error ? err.message : String(err);
  return new StructregError("SR_STORE_ERROR", `${what} failed: ${reason}`, { cause: err });
}

/**
 * Runs a transaction body, keeping errors thrown by `fn` itself (a guard's refusal, a not-found) intact while
 * wrapping the driver's own failures (BEGIN/COMMIT, lost connection) as SR_STORE_ERROR.
 */
export async function runTransaction<T>(
  begin: (body: (tx: SqlExecutor) => Promise<T>) => Promise<T>,
  fn: (tx: SqlExecutor) => Promise<T>,
): Promise<T> {
  let bodyFailure: { error: unknown } | undefined;
  try {
    return await begin(async (tx) => {
      try {
        return await fn(tx);
      } catch (error) {
        bodyFailure = { error };
        throw error;
      }
    });
  } catch (error) {
    if (bodyFailure !== undefined) throw bodyFailure.error;
    throw toStoreError(error, "transaction");
  }
}

/** A FIFO mutex: `run` calls execute one at a time, in call order. */
export interface SerialQueue {
  run<T>(task: () => Promise<T>): Promise<T>;
}

/** Creates a FIFO mutex over a promise chain (a failed task does not block the next). */
export function createSerialQueue(): SerialQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(task: () => Promise<T>): Promise<T> {
      const result = tail.then(task);
      tail = result.catch(() => undefined);
      return result;
    },
  };
}
