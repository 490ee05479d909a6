/**
 * Regression: one request with a backtracking-prone regular expression used to freeze the whole server
 * (`/healthz` stopped answering). The server runs as its own process, as `npm start` runs it (shipped schemas
 * published, PGlite), so a frozen server fails this test by timeouts instead of freezing the test runner.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { invoiceWithPurchaseOrder, NESTED, OVERLAPPING } from "../fixtures/hostile-patterns.js";
import { createTempDir, type TempDir } from "../helpers/databases.js";
import { serveEnv } from "../helpers/serve-process.js";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CT = { "content-type": "application/vnd.schemaregistry.v1+json" };
// Generous: the point is "answers at all", not how fast (before the fix these never answered).
const ANSWER_WITHIN_MS = 15_000;

let child: ChildProcess | undefined;
let url = "";
let dir: TempDir | undefined;

/** Starts `structreg serve` (from source, publishing schemas/) and resolves with its URL. */
function serve(dataDir: string): Promise<string> {
  const args = ["--import", "tsx", "src/cli/entry.ts", "serve", "--port", "0", "--data-dir", dataDir];
  const proc = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    // PGlite in its own folder, as `npm start` runs: never CI's shared DATABASE_URL, whose subjects other
    // files change while this one runs.
    env: serveEnv({}),
    stdio: ["ignore", "ignore", "pipe"],
  });
  child = proc;
  return new Promise((resolve, reject) => {
    let err = "";
    proc.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      err += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(err);
      if (match) resolve(match[1] as string);
    });
    proc.on("exit", (code) => reject(new Error(`serve exited (${code}) before listening: ${err}`)));
  });
}

const post = (path: string, body: unknown) =>
  fetch(`${url}${path}`, {
    method: "POST",
    headers: CT,
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
  });
const healthz = () => fetch(`${url}/healthz`, { signal: AbortSignal.timeout(ANSWER_WITHIN_MS) });

beforeAll(async () => {
  dir = await createTempDir("structreg-hostile-");
  url = await serve(dir.path);
  // The shipped subject, one version on: a longer property name for the diff to match patterns against.
  const next = await post("/subjects/invoice-extraction/versions", { schema: invoiceWithPurchaseOrder() });
  expect(next.status).toBe(200);
}, 120_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child?.on("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }
  await dir?.remove();
});

describe("a hostile regular expression never freezes the server", () => {
  test("/healthz answers while the reviewer's compatibility request is handled", async () => {
    const schema = JSON.stringify({ type: "object", patternProperties: { [OVERLAPPING]: {} } });
    const hostile = post("/compatibility/subjects/invoice-extraction/versions/latest", { schema });
    const probes = await Promise.all([healthz(), healthz(), healthz()]);
    expect(probes.map((p) => p.status)).toEqual([200, 200, 200]);
    const verdict = await hostile;
    expect(verdict.status).toBe(200);
    expect(await verdict.json()).toEqual({ is_compatible: false });
  }, 60_000);

  test("/healthz answers while a catastrophic pattern meets a 30 KB adversarial output", async () => {
    const schema = JSON.stringify({
      type: "object",
      properties: { code: { type: "string", pattern: NESTED } },
      required: ["code"],
      additionalProperties: false,
    });
    expect((await post("/subjects/codes/versions", { schema })).status).toBe(200);
    const output = JSON.stringify({ code: `${"a".repeat(30_000)}!` });
    const validations = [1, 2, 3].map(() => post("/subjects/codes/validate", { output }));
    const probes = await Promise.all([healthz(), healthz()]);
    expect(probes.map((p) => p.status)).toEqual([200, 200]);
    const answers = await Promise.all(validations);
    expect(answers.map((a) => a.status)).toEqual([422, 422, 422]);
  }, 60_000);
});
