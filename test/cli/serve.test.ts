import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { runCli } from "./run-cli.js";

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "structreg-serve-"));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

test("serve publishes the schemas folder, answers commands, and stops cleanly on a signal", async () => {
  const schemas = resolve(import.meta.dirname, "../../schemas");
  let stderr = "";
  const seen: { subjects?: string; code?: number } = {};
  // runCli captures stderr only at the end; read the listening URL from a capture of our own instead.
  const { main } = await import("../../src/cli/main.js");
  const code = await main(["serve", "--port", "0", "--data-dir", dataDir, "--schemas", schemas], {
    stdout: { write: () => true },
    stderr: { write: (s: string) => (stderr += s) },
    env: { LOG_LEVEL: "silent" },
    cwd: dataDir,
    async waitForShutdown() {
      // Called before the server starts (signals are watched from the start): wait for it to listen.
      let url: string | undefined;
      for (let tries = 0; url === undefined && tries < 7500; tries++) {
        await new Promise((r) => setTimeout(r, 20));
        url = /listening on (http:\/\/\S+)/.exec(stderr)?.[1];
      }
      const run = await runCli(["subjects", "--url", url ?? "http://127.0.0.1:9"]);
      seen.subjects = run.stdout;
      seen.code = run.code;
      return "SIGTERM";
    },
  });
  expect(code).toBe(0);
  expect(stderr).toMatch(/published .*: \d+ created, 0 unchanged, 0 refused/);
  expect(stderr).toContain("SIGTERM: shutting down");
  expect(seen.code).toBe(0);
  expect(seen.subjects?.split("\n")).toEqual(
    expect.arrayContaining(["invoice-extraction", "sentiment", "support-ticket-triage"]),
  );
}, 180_000); // a first PGlite start takes seconds, and longer on a loaded machine

test("serve exits 78 for an invalid configuration", async () => {
  const run = await runCli(["serve", "--data-dir", dataDir], { env: { LOG_LEVEL: "loud" } });
  expect(run.code).toBe(78);
  expect(run.stderr).toMatch(/^error SR_CONFIG_INVALID: /);
});
