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
      ...(fs.existsSync("/proc/self/stat") ? { procStart: expect.stringMatching(/^\d+$/) } : {}),
      ...(fs.existsSync("/proc/sys/kernel/random/boot_id") ? { bootId: expect.any(String) } : {}),
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

  test("takes over a lock naming its own pid that it did not take (a container restarted as pid 1 again)", () => {
    writeLock({ pid: process.pid, hostname: os.hostname(), startedAt: "2020-01-01T00:00:00.000Z" });
    const lock = acquireDataDirLock(dir.path);
    expect(JSON.parse(fs.readFileSync(lockPath, "utf8")).startedAt).not.toBe("2020-01-01T00:00:00.000Z");
    lock.release();
  });

  describe.skipIf(!fs.existsSync("/proc/self/stat"))("with /proc (Linux)", () => {
    /** A live child and its start time in ticks, as the lock records it. */
    async function liveChild() {
      const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
      await new Promise((resolve) => child.on("spawn", resolve));
      const stat = fs.readFileSync(`/proc/${child.pid}/stat`, "utf8");
      const procStart = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
      return { pid: child.pid ?? 0, procStart, stop: () => child.kill("SIGKILL") };
    }

    test("takes over a lock whose pid now belongs to a process started later (a reused pid)", async () => {
      const child = await liveChild();
      try {
        writeLock({ pid: child.pid, hostname: os.hostname(), startedAt: "x", procStart: "1" });
        acquireDataDirLock(dir.path).release();
      } finally {
        child.stop();
      }
    });

    test("refuses a lock whose pid runs and started when the lock says", async () => {
      const child = await liveChild();
      try {
        writeLock({ pid: child.pid, hostname: os.hostname(), startedAt: "x", procStart: child.procStart });
        expect(() => acquireDataDirLock(dir.path)).toThrow(
          expect.objectContaining({ code: "SR_DATA_DIR_LOCKED" }),
        );
      } finally {
        child.stop();
      }
    });

    test("takes over a lock written during an earlier boot, whatever runs under its pid now", async () => {
      const child = await liveChild();
      try {
        writeLock({ pid: child.pid, hostname: os.hostname(), startedAt: "x", bootId: "an-earlier-boot" });
        acquireDataDirLock(dir.path).release();
      } finally {
        child.stop();
      }
    });
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
