import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expect, test } from "vitest";

// The bin launcher runs dist/, which only exists after `npm run build`; src/cli/entry.ts runs the same
// main() from source through tsx, so this proves the process wiring (argv, exit code, signals) on every run.
const ROOT = resolve(import.meta.dirname, "../..");
const ENTRY = ["--import", "tsx", "src/cli/entry.ts"];

interface Exited {
  code: number | null;
  stdout: string;
  stderr: string;
}

function spawnCli(args: string[], env: Record<string, string> = {}, onStderr?: (all: string) => void) {
  const child = spawn(process.execPath, [...ENTRY, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", ...env },
  });
  const result: Exited = { code: null, stdout: "", stderr: "" };
  child.stdout.on("data", (d: Buffer) => (result.stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => {
    result.stderr += d.toString();
    onStderr?.(result.stderr);
  });
  const exited = new Promise<Exited>((done) => child.on("close", (code) => done({ ...result, code })));
  return { child, exited };
}

test("the CLI process prints help and exits 0", async () => {
  const { stdout, stderr, code } = await spawnCli(["--help"]).exited;
  expect(code).toBe(0);
  expect(stdout).toContain("Usage: structreg");
  expect(stdout).toContain("register");
  expect(stderr).toBe("");
});

test("the CLI process exits with the mapped code for a usage error", async () => {
  const { stderr, code } = await spawnCli(["get"]).exited;
  expect(code).toBe(2);
  expect(stderr).toMatch(/^error SR_USAGE: /);
});

test("serve runs until SIGTERM and then exits 0", async () => {
  const dataDir = await mkdtemp(join(tmpdir(), "structreg-bin-"));
  try {
    let signalled = false;
    const { child, exited } = spawnCli(
      ["serve", "--port", "0", "--data-dir", dataDir, "--no-sync"],
      { LOG_LEVEL: "silent" },
      (all) => {
        if (!signalled && all.includes("listening on")) {
          signalled = true;
          child.kill("SIGTERM");
        }
      },
    );
    const { code, stderr } = await exited;
    expect(stderr).toContain("SIGTERM: shutting down");
    expect(code).toBe(0);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}, 180_000); // a first PGlite start takes seconds, and longer on a loaded machine
