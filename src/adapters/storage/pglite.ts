import * as fs from "node:fs";
import { PGlite, type Transaction } from "@electric-sql/pglite";
import type { StructregError } from "../../core/errors.js";
import { acquireDataDirLock, type DataDirLock } from "./data-dir-lock.js";
import { diagnoseOpenFailure, isWedging, wedgedError } from "./pglite-faults.js";
import {
  createSerialQueue,
  runTransaction,
  type SqlClient,
  type SqlExecutor,
  toStoreError,
} from "./sql-client.js";

/** Where PGlite keeps its data: a folder (created if missing, locked while open) or memory. */
export interface PgliteOptions {
  /** Data folder; undefined keeps the database in memory. */
  dataDir?: string;
  /** Longest wait of a statement for its turn in the queue (default 15 s); then SR_STORE_UNAVAILABLE. */
  queueTimeoutMs?: number;
}

type PgliteRunner = Pick<PGlite | Transaction, "query" | "exec">;

/**
 * Opens PGlite behind the store's SqlClient, using PGlite's own query/transaction (never a pg shim: those
 * break after the first SQL error). A data folder is locked first: a second open throws SR_DATA_DIR_LOCKED.
 */
export async function openPglite(options: PgliteOptions): Promise<SqlClient> {
  let lock: DataDirLock | undefined;
  if (options.dataDir !== undefined) {
    try {
      fs.mkdirSync(options.dataDir, { recursive: true });
    } catch (err) {
      throw toStoreError(err, `creating the data folder ${options.dataDir}`);
    }
    lock = acquireDataDirLock(options.dataDir);
  }
  try {
    // relaxedDurability stays off, so a statement resolves only after PGlite has written its files: through
    // Node's fs, synchronously, so an acknowledged commit survives the process being killed (SIGKILL; tested).
    // PGlite runs Postgres with fsync off, so an OS crash or power loss may still lose recent commits.
    const db = await PGlite.create({ relaxedDurability: false, ...dataDirOption(options.dataDir) });
    return createPgliteClient(db, lock, options.queueTimeoutMs ?? DEFAULT_QUEUE_TIMEOUT_MS);
  } catch (err) {
    lock?.release();
    throw options.dataDir === undefined
      ? toStoreError(err, "opening PGlite")
      : diagnoseOpenFailure(options.dataDir, err);
  }
}

function dataDirOption(dataDir: string | undefined): { dataDir?: string } {
  return dataDir === undefined ? {} : { dataDir };
}

const DEFAULT_QUEUE_TIMEOUT_MS = 15_000;

function createPgliteClient(db: PGlite, lock: DataDirLock | undefined, waitMs: number): SqlClient {
  // PGlite is one session: a statement sent while another caller's transaction is open would run inside
  // that transaction. Every call therefore goes through one FIFO queue.
  const queue = createSerialQueue();
  let closed: Promise<void> | undefined;
  let wedged: StructregError | undefined;
  /** Runs a task unless PGlite is unusable; an error that makes it so answers every later call too. */
  const guarded = async <T>(task: () => Promise<T>): Promise<T> => {
    if (wedged !== undefined) throw wedged;
    try {
      return await task();
    } catch (err) {
      if (isWedging(err)) wedged = wedgedError(err);
      throw wedged ?? err;
    }
  };
  return {
    query: <T>(sql: string, params?: unknown[]) =>
      queue.run(() => guarded(() => runQuery<T>(db, sql, params)), waitMs),
    transaction: <T>(fn: (tx: SqlExecutor) => Promise<T>) =>
      queue.run(
        () =>
          guarded(() => runTransaction<T>((body) => db.transaction((tx) => body(wrapTransaction(tx))), fn)),
        waitMs,
      ),
    close() {
      closed ??= queue.run(async () => {
        try {
          await db.close();
        } finally {
          lock?.release();
        }
      });
      return closed;
    },
  };
}

/** Inside a transaction the queue is already held, so the executor talks to PGlite's transaction directly. */
function wrapTransaction(tx: Transaction): SqlExecutor {
  return { query: <T>(sql: string, params?: unknown[]) => runQuery<T>(tx, sql, params) };
}

async function runQuery<T>(runner: PgliteRunner, sql: string, params: unknown[] | undefined): Promise<T[]> {
  try {
    if (params === undefined || params.length === 0) {
      // Simple protocol, like pg without params: several statements allowed, last one's rows returned.
      const results = await runner.exec(sql);
      return (results.at(-1)?.rows ?? []) as T[];
    }
    const result = await runner.query<T>(sql, params);
    return result.rows;
  } catch (err) {
    throw toStoreError(err, "query");
  }
}
