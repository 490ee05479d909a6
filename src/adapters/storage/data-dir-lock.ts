import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { StructregError } from "../../core/errors.js";

/** File name of the lock inside a data folder. */
export const LOCK_FILE_NAME = "structreg.lock";

/** What a lock file records about its holder. */
export interface LockOwner {
  pid: number;
  hostname: string;
  /** ISO-8601 time the holder took the lock. */
  startedAt: string;
}

/** A held data-folder lock. `release` is idempotent. */
export interface DataDirLock {
  readonly path: string;
  release(): void;
}

/**
 * Takes the exclusive lock of a data folder (PGlite has none: two processes writing one folder silently lose
 * rows). A lock left by a dead process on this host is taken over; any other lock throws SR_DATA_DIR_LOCKED.
 * The lock is released by `release()` or, failing that, when the process exits.
 */
export function acquireDataDirLock(dataDir: string): DataDirLock {
  const lockPath = path.join(dataDir, LOCK_FILE_NAME);
  const me: LockOwner = { pid: process.pid, hostname: os.hostname(), startedAt: new Date().toISOString() };
  const text = `${JSON.stringify(me)}\n`;
  // Two attempts: the second follows the takeover of a stale lock.
  for (let attempt = 0; attempt < 2; attempt++) {
    if (tryCreate(lockPath, text)) return holdLock(lockPath, text);
    const owner = readOwner(lockPath);
    if (owner === "missing") continue;
    if (owner !== "unreadable" && isAlive(owner)) throw lockedError(lockPath, owner);
    if (owner === "unreadable" && !isOldEnough(lockPath)) throw lockedError(lockPath, undefined);
    removeStale(lockPath);
  }
  throw lockedError(lockPath, undefined);
}

function tryCreate(lockPath: string, text: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(lockPath, "wx", 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new StructregError("SR_STORE_ERROR", `cannot create the lock file ${lockPath}`, { cause: err });
  }
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

function holdLock(lockPath: string, text: string): DataDirLock {
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    process.removeListener("exit", release);
    // Only remove the file if it is still ours (a crash-recovery tool may have replaced it).
    try {
      if (fs.readFileSync(lockPath, "utf8") === text) fs.unlinkSync(lockPath);
    } catch {
      // Already gone: nothing to release.
    }
  };
  process.on("exit", release);
  return { path: lockPath, release };
}

function readOwner(lockPath: string): LockOwner | "missing" | "unreadable" {
  let raw: string;
  try {
    raw = fs.readFileSync(lockPath, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    return "unreadable";
  }
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== "object" || value === null) return "unreadable";
    const { pid, hostname, startedAt } = value as Record<string, unknown>;
    if (typeof pid !== "number" || typeof hostname !== "string") return "unreadable";
    return { pid, hostname, startedAt: typeof startedAt === "string" ? startedAt : "unknown" };
  } catch {
    return "unreadable";
  }
}

/** A holder on another host cannot be checked, so it counts as alive. */
function isAlive(owner: LockOwner): boolean {
  if (owner.hostname !== os.hostname()) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** An unparsable lock may be one being written right now: only treat it as stale after a few seconds. */
function isOldEnough(lockPath: string): boolean {
  try {
    return Date.now() - fs.statSync(lockPath).mtimeMs > 5_000;
  } catch {
    return true;
  }
}

/**
 * Moves the stale lock aside atomically (rename), so of two processes taking over the same stale lock at once
 * only one removes it; the other then finds the winner's fresh lock and reports it.
 */
function removeStale(lockPath: string): void {
  const aside = `${lockPath}.stale-${process.pid}`;
  try {
    fs.renameSync(lockPath, aside);
  } catch {
    return;
  }
  const moved = readOwner(aside);
  if (moved !== "unreadable" && moved !== "missing" && isAlive(moved)) {
    // We raced with a process that had just taken over: put its lock back.
    try {
      fs.linkSync(aside, lockPath);
    } catch {
      // It re-created one meanwhile; either way the next attempt reports it.
    }
  }
  fs.rmSync(aside, { force: true });
}

function lockedError(lockPath: string, owner: LockOwner | undefined): StructregError {
  const holder =
    owner === undefined
      ? "another process (the lock file is unreadable)"
      : `process ${owner.pid} on ${owner.hostname} (since ${owner.startedAt})`;
  return new StructregError("SR_DATA_DIR_LOCKED", `The data folder is in use by ${holder}: ${lockPath}`, {
    details: { lockPath, ...(owner === undefined ? {} : { pid: owner.pid, hostname: owner.hostname }) },
    hint:
      "Stop that structreg process, or point this one at another data folder (--data-dir) or at PostgreSQL " +
      "(DATABASE_URL). If no structreg process is using the folder, delete the lock file.",
  });
}
