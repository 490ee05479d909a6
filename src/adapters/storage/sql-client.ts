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

/**
 * Wraps a driver failure as a typed error; StructregErrors pass through. The database being away, restarting,
 * too slow or unable to write (see `unavailability`) is SR_STORE_UNAVAILABLE (503: retry); anything else (a
 * SQL error, a bug) SR_STORE_ERROR.
 */
export function toStoreError(err: unknown, what: string): StructregError {
  if (isStructregError(err)) return err;
  const reason = err instanceof Error ? err.message : String(err);
  const unavailable = unavailability(err);
  if (unavailable !== undefined) {
    return new StructregError("SR_STORE_UNAVAILABLE", `${what} failed: ${unavailable.why} (${reason})`, {
      cause: err,
      hint: unavailable.hint,
    });
  }
  return new StructregError("SR_STORE_ERROR", `${what} failed: ${reason}`, { cause: err });
}

/** Why the store cannot answer now, and what to do; undefined for errors that are not about availability. */
export interface Unavailability {
  why: string;
  hint: string;
}

const RETRY = "retry shortly; structreg reconnects by itself when the database is back";
const DISK_HINT = "free disk space or make the data folder writable, then retry";

// Node's socket errors: the server is away or the network between is.
const NETWORK_ERRORS = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);
// Files that cannot be written (PGlite): the data folder's disk is full or read-only.
const DISK_ERRORS: Record<string, string> = {
  ENOSPC: "the disk of the data folder is full",
  EDQUOT: "the disk quota of the data folder is exhausted",
  EROFS: "the data folder is on a read-only file system",
  EACCES: "the data folder is not writable",
  EPERM: "the data folder is not writable",
};
// SQLSTATEs: 08xxx connection exceptions, 53xxx insufficient resources, 57P01–57P05 shutdown and startup,
// 57014 a statement cancelled by statement_timeout, 25P03 idle_in_transaction_session_timeout.
const UNAVAILABLE_STATE = /^(08|53)...$|^57P0[1-5]$|^57014$|^25P03$/;
// node-postgres reports a lost or timed-out connection without a code.
const PG_CONNECTION_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|not queryable|connection (timeout|error)/i;

/** Classifies a driver error as the database being unavailable (retryable), with a hint. */
export function unavailability(err: unknown): Unavailability | undefined {
  const code = typeof err === "object" && err !== null ? (err as { code?: unknown }).code : undefined;
  const message = err instanceof Error ? err.message : String(err);
  if (typeof code === "string") {
    const disk = DISK_ERRORS[code];
    if (disk !== undefined) return { why: disk, hint: DISK_HINT };
    if (NETWORK_ERRORS.has(code)) return { why: "the database cannot be reached", hint: RETRY };
    if (code === "53100") return { why: "the database's disk is full", hint: DISK_HINT };
    if (UNAVAILABLE_STATE.test(code)) {
      return code === "57014" || code === "25P03"
        ? {
            why: "the database took too long",
            hint: "retry shortly; if it persists, check the database's load",
          }
        : { why: "the database is restarting or refusing connections", hint: RETRY };
    }
  }
  if (PG_CONNECTION_MESSAGES.test(message)) return { why: "the database connection was lost", hint: RETRY };
  return undefined;
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
  /**
   * Runs `task` after every earlier one. With `waitTimeoutMs`, a task still waiting for its turn after that
   * long is dropped and rejects with SR_STORE_UNAVAILABLE (a task that has started is never cut short).
   */
  run<T>(task: () => Promise<T>, waitTimeoutMs?: number): Promise<T>;
}

/** Creates a FIFO mutex over a promise chain (a failed task does not block the next). */
export function createSerialQueue(): SerialQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(task: () => Promise<T>, waitTimeoutMs?: number): Promise<T> {
      if (waitTimeoutMs === undefined) {
        const result = tail.then(task);
        tail = result.catch(() => undefined);
        return result;
      }
      let state: "waiting" | "started" | "dropped" = "waiting";
      let timer: NodeJS.Timeout | undefined;
      const turn = tail.then(() => {
        clearTimeout(timer);
        if (state === "dropped") throw queueTimeout(waitTimeoutMs);
        state = "started";
        return task();
      });
      tail = turn.catch(() => undefined);
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          if (state !== "waiting") return;
          state = "dropped";
          reject(queueTimeout(waitTimeoutMs));
        }, waitTimeoutMs);
        timer.unref();
      });
      return Promise.race([turn, timeout]);
    },
  };
}

function queueTimeout(ms: number): StructregError {
  return new StructregError(
    "SR_STORE_UNAVAILABLE",
    `The embedded database (PGlite) did not get to this statement within ${ms} ms: it runs one at a time and is busy`,
    { hint: "retry shortly; for more concurrent load use PostgreSQL (DATABASE_URL)" },
  );
}
