import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { StructregError } from "../../core/errors.js";
import { toStoreError } from "./sql-client.js";

/** File name of the lock inside a data folder. */
export const LOCK_FILE_NAME = "structreg.lock";

/** What a lock file records about its holder. */
export interface LockOwner {
  pid: number;
  hostname: string;
  /** ISO-8601 time the holder took the lock. */
  startedAt: string;
  /** The holder's start time in clock ticks since boot (Linux /proc), when known: tells a reused pid apart. */
  procStart?: string;
  /** The kernel's boot id (Linux), when known: a lock from an earlier boot is stale whatever its pid. */
  bootId?: string;
}

/**
 * Lock files this process holds (real paths). A lock naming our own pid that is not in here was left by an
 * earlier process that had the same pid: after a container restart the new process is often pid 1 again.
 */
const HELD = new Set<string>();

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
  const lockPath = path.join(realDir(dataDir), LOCK_FILE_NAME);
  const text = `${JSON.stringify(currentOwner())}\n`;
  // Two attempts: the second follows the takeover of a stale lock.
  for (let attempt = 0; attempt < 2; attempt++) {
    if (tryCreate(lockPath, text)) return holdLock(lockPath, text);
    const owner = readOwner(lockPath);
    if (owner === "missing") continue;
    if (owner !== "unreadable" && isAlive(owner, lockPath)) throw lockedError(lockPath, owner);
    if (owner === "unreadable" && !isOldEnough(lockPath)) throw lockedError(lockPath, undefined);
    removeStale(lockPath);
  }
  throw lockedError(lockPath, undefined);
}

/** Who we are, as a lock file records it (procStart and bootId only where Linux's /proc tells them). */
function currentOwner(): LockOwner {
  const me: LockOwner = { pid: process.pid, hostname: os.hostname(), startedAt: new Date().toISOString() };
  const procStart = processStartTicks(process.pid);
  const bootId = readBootId();
  if (procStart !== undefined) me.procStart = procStart;
  if (bootId !== undefined) me.bootId = bootId;
  return me;
}

function realDir(dataDir: string): string {
  try {
    return fs.realpathSync(dataDir);
  } catch {
    return path.resolve(dataDir);
  }
}

/** Field 22 of /proc/<pid>/stat (start time after boot); the command name before it may hold spaces. */
function processStartTicks(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

function readBootId(): string | undefined {
  try {
    return fs.readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}

function tryCreate(lockPath: string, text: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(lockPath, "wx", 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    // A read-only or full disk says so (SR_STORE_UNAVAILABLE with what to do), anything else SR_STORE_ERROR.
    throw toStoreError(err, `creating the lock file ${lockPath}`);
  }
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } catch (err) {
    // A full disk: leave no empty lock file behind (it would block the next start for a while).
    fs.closeSync(fd);
    fs.rmSync(lockPath, { force: true });
    throw toStoreError(err, `writing the lock file ${lockPath}`);
  }
  fs.closeSync(fd);
  return true;
}

function holdLock(lockPath: string, text: string): DataDirLock {
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    HELD.delete(lockPath);
    process.removeListener("exit", release);
    // Only remove the file if it is still ours (a crash-recovery tool may have replaced it).
    try {
      if (fs.readFileSync(lockPath, "utf8") === text) fs.unlinkSync(lockPath);
    } catch {
      // Already gone: nothing to release.
    }
  };
  process.on("exit", release);
  HELD.add(lockPath);
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
    const { procStart, bootId } = value as Record<string, unknown>;
    if (typeof pid !== "number" || typeof hostname !== "string") return "unreadable";
    return {
      pid,
      hostname,
      startedAt: typeof startedAt === "string" ? startedAt : "unknown",
      ...(typeof procStart === "string" ? { procStart } : {}),
      ...(typeof bootId === "string" ? { bootId } : {}),
    };
  } catch {
    return "unreadable";
  }
}

/**
 * A holder on another host cannot be checked, so it counts as alive. On this host the holder is alive when its
 * pid runs and is the same process: our own pid only if this process took the lock, another pid only if it
 * started when the lock says (a pid reused by an unrelated process, or a lock from an earlier boot, is stale).
 */
function isAlive(owner: LockOwner, lockPath: string): boolean {
  if (owner.hostname !== os.hostname()) return true;
  if (owner.pid === process.pid) return HELD.has(lockPath);
  if (owner.bootId !== undefined && readBootId() !== undefined && owner.bootId !== readBootId()) return false;
  if (owner.procStart !== undefined) {
    const now = processStartTicks(owner.pid);
    if (now !== undefined && now !== owner.procStart) return false;
  }
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
  if (moved !== "unreadable" && moved !== "missing" && isAlive(moved, lockPath)) {
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
