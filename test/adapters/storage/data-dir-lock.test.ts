import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { acquireDataDirLock, LOCK_FILE_NAME } from "../../../src/adapters/storage/data-dir-lock.js";
import { createTempDir, type TempDir } from "../../helpers/databases.js";
import { startFixture } from "./child-process.js";

let dir: TempDir;
let lockPath: string;
beforeEach(async () => {
  dir = await createTempDir("structreg-lock-");
  lockPath = path.join(dir.path, LOCK_FILE_NAME);
});
afterEach(() => dir.remove());

/** The pid of a process that has already exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolve) => child.on("exit", resolve));
  return child.pid ?? 0;
}

function writeLock(owner: Record<string, unknown> | string): void {
  fs.writeFileSync(lockPath, typeof owner === "string" ? owner : JSON.stringify(owner));
}

describe("acquireDataDirLock", () => {
  test("writes pid, hostname and start time, and removes the file on release", () => {
    const lock = acquireDataDirLock(dir.path);
    expect(JSON.parse(fs.readFileSync(lockPath, "utf8"))).toEqual({
      pid: process.pid,
      hostname: os.hostname(),
      startedAt: expect.any(String),
    });
    lock.release();
    lock.release();
    expect(fs.existsSync(lockPath)).toBe(false);
  });

  test("refuses a second lock in the same process, naming the pid and what to do", () => {
    const lock = acquireDataDirLock(dir.path);
    try {
      expect(() => acquireDataDirLock(dir.path)).toThrow(
        expect.objectContaining({
          code: "SR_DATA_DIR_LOCKED",
          message: expect.stringContaining(`process ${process.pid}`),
          hint: expect.stringContaining("delete the lock file"),
        }),
      );
    } finally {
      lock.release();
    }
  });

  test("takes over a lock left by a process that is no longer alive", async () => {
    const pid = await deadPid();
    writeLock({ pid, hostname: os.hostname(), startedAt: "2020-01-01T00:00:00.000Z" });
    const lock = acquireDataDirLock(dir.path);
    expect(JSON.parse(fs.readFileSync(lockPath, "utf8")).pid).toBe(process.pid);
    lock.release();
  });

  test("refuses a lock held by a process on another host (its liveness cannot be checked)", async () => {
    const pid = await deadPid();
    writeLock({ pid, hostname: `${os.hostname()}-other`, startedAt: "2020-01-01T00:00:00.000Z" });
    expect(() => acquireDataDirLock(dir.path)).toThrow(
      expect.objectContaining({ code: "SR_DATA_DIR_LOCKED" }),
    );
  });

  test("treats an unreadable lock as held while it is new and as stale once it is old", () => {
    writeLock("{not json");
    expect(() => acquireDataDirLock(dir.path)).toThrow(
      expect.objectContaining({ code: "SR_DATA_DIR_LOCKED" }),
    );
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lockPath, old, old);
    acquireDataDirLock(dir.path).release();
  });

  test("leaves a lock file alone on release once it is no longer its own", () => {
    const lock = acquireDataDirLock(dir.path);
    writeLock({ pid: process.pid, hostname: os.hostname(), startedAt: "someone else" });
    lock.release();
    expect(fs.existsSync(lockPath)).toBe(true);
  });

  test("releases the lock when the holding process exits", async () => {
    const child = startFixture("lock-and-exit", [dir.path]);
    expect(await child.exited).toEqual({ code: 0, signal: null });
    expect(child.lines).toContain("locked");
    expect(fs.existsSync(lockPath)).toBe(false);
  });
});
