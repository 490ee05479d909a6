import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, test } from "vitest";
import { serveEnv, startServe } from "../helpers/serve-process.js";

/**
 * PGlite's data folder on a disk that fills up or turns read-only: a clear, typed error at start (CLI exit 69
 * with what to do) or a 503 at runtime, never a 500, and never a corrupt store. The disk is a small tmpfs this
 * test mounts (root only; running as root, chmod would not stop writes), so the test skips where mounting is
 * not allowed.
 */

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CT = { "content-type": "application/json" };

/** Mounts a tmpfs of `size` at a new folder; undefined when this machine does not let us. */
function mountTmpfs(size: string): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), "structreg-disk-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir], { stdio: "ignore" });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
}

function unmount(dir: string): void {
  execFileSync("umount", ["-l", dir], { stdio: "ignore" });
  rmSync(dir, { recursive: true, force: true });
}

const probe = mountTmpfs("1m");
if (probe !== undefined) unmount(probe);
const CAN_MOUNT = probe !== undefined;
if (!CAN_MOUNT) {
  console.warn(
    "PGlite disk-fault tests skipped: mounting a tmpfs needs root (CAP_SYS_ADMIN) on this machine",
  );
}

const mounts: string[] = [];
afterEach(() => {
  for (const dir of mounts.splice(0)) unmount(dir);
});

function mounted(size: string): string {
  const dir = mountTmpfs(size) as string;
  mounts.push(dir);
  return dir;
}

/** `structreg serve` that is expected to refuse to start: its exit code (or signal) and what it printed. */
function serveExpectingFailure(dataDir: string): Promise<{ code: number | string | null; stderr: string }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "src/cli/entry.ts", "serve", "--port", "0", "--no-sync", "--data-dir", dataDir],
    { cwd: REPO_ROOT, env: serveEnv({}), stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
    if (stderr.includes("listening on")) child.kill("SIGKILL");
  });
  // A signal instead of a code (it listened and was killed above, or the OOM killer took it) shows in the diff.
  return new Promise((resolve) =>
    child.on("exit", (code, signal) => resolve({ code: code ?? signal, stderr })),
  );
}

async function post(url: string, body: unknown, method = "POST") {
  // A request unanswered after a minute is a hang, reported as such (never waited for forever).
  const res = await fetch(url, {
    method,
    headers: CT,
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A ~700 KB schema of random text (PGlite compresses repetitive text away). */
function bulkySchema(n: number): string {
  return JSON.stringify({
    type: "object",
    description: `${n} ${randomBytes(520_000).toString("base64")}`,
    properties: { id: { type: "string" } },
    required: ["id"],
    additionalProperties: false,
  });
}

describe.skipIf(!CAN_MOUNT)("PGlite data folder on a full or read-only disk", () => {
  test("a disk filling up at runtime answers 503 SR_STORE_UNAVAILABLE; after freeing space nothing acknowledged is lost", async () => {
    const disk = mounted("100m");
    const dataDir = join(disk, "data");
    const server = await startServe({}, dataDir);
    const acked: Array<{ n: number; version: number }> = [];
    const refusals: Array<{ status: number; code: unknown; message: unknown }> = [];
    try {
      expect((await post(`${server.url}/config/bulk`, { compatibility: "NONE" }, "PUT")).status).toBe(200);
      const small = JSON.stringify({
        type: "object",
        properties: { id: { type: "string" } },
        required: ["id"],
        additionalProperties: false,
      });
      expect((await post(`${server.url}/subjects/cached/versions`, { schema: small })).status).toBe(200);
      for (let n = 0; n < 400 && refusals.length < 3; n++) {
        const res = await post(`${server.url}/subjects/bulk/versions`, { schema: bulkySchema(n) });
        if (res.status === 200) acked.push({ n, version: res.body.version as number });
        else refusals.push({ status: res.status, code: res.body.code, message: res.body.message });
      }
      expect(acked.length).toBeGreaterThan(0);
      expect(refusals.length).toBe(3);
      for (const r of refusals) expect(r).toMatchObject({ status: 503, code: "SR_STORE_UNAVAILABLE" });
      expect(String(refusals[0]?.message)).toMatch(/disk|space/i);
      const validated = await post(`${server.url}/subjects/cached/validate`, { output: '{"id":"x"}' });
      expect(validated.status).toBe(200);
      expect(server.child.exitCode).toBeNull();
    } finally {
      await server.stop();
    }
    execFileSync("mount", ["-o", "remount,size=400m", disk]);
    const again = await startServe({}, dataDir);
    try {
      const versions = (await (await fetch(`${again.url}/subjects/bulk/versions`)).json()) as number[];
      expect(versions).toEqual(acked.map((a) => a.version));
      const last = acked.at(-1) as { n: number; version: number };
      const stored = (await (await fetch(`${again.url}/subjects/bulk/versions/${last.version}`)).json()) as {
        schema: string;
      };
      expect(JSON.parse(stored.schema).description).toMatch(new RegExp(`^${last.n} `));
      expect((await post(`${again.url}/subjects/bulk/versions`, { schema: bulkySchema(1000) })).status).toBe(
        200,
      );
    } finally {
      await again.stop();
    }
  }, 600_000);

  test("a disk without room to start refuses with exit 69 and says how much to free", async () => {
    const disk = mounted("8m");
    const result = await serveExpectingFailure(join(disk, "data"));
    expect(result).toMatchObject({ code: 69, stderr: expect.stringContaining("SR_STORE_UNAVAILABLE") });
    expect(result.stderr).toMatch(/free at least \d+ MiB/);
  }, 120_000);

  test("a read-only data folder refuses to start with exit 69 and says to make it writable", async () => {
    const disk = mounted("100m");
    const dataDir = join(disk, "data");
    mkdirSync(dataDir);
    const first = await startServe({}, dataDir);
    await first.stop();
    execFileSync("mount", ["-o", "remount,ro", disk]);
    const result = await serveExpectingFailure(dataDir);
    expect(result).toMatchObject({ code: 69, stderr: expect.stringContaining("SR_STORE_UNAVAILABLE") });
    expect(result.stderr).toMatch(/read-only/);
    expect(result.stderr).toMatch(/writable/);
    execFileSync("mount", ["-o", "remount,rw", disk]);
    const again = await startServe({}, dataDir);
    await again.stop();
  }, 180_000);
});
