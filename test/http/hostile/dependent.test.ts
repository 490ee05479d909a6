/**
 * Hostile schemas whose fixes live on other branches: catastrophic regexes (branch `regex`) and exponential
 * `$ref` walks (branch `walks`). They run against a server in its own process, so a hang blocks that process,
 * not this suite: each request has a short timeout, and the server must still answer /healthz afterwards.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createTempDir, type TempDir } from "../../helpers/databases.js";
import { dependentSchemas } from "./inputs.js";

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const CT = { "content-type": "application/vnd.schemaregistry.v1+json" };
const TIMEOUT_MS = 5000;

let child: ChildProcess;
let url: string;
let dir: TempDir;

beforeAll(async () => {
  dir = await createTempDir("structreg-dependent-");
  child = spawn(
    process.execPath,
    ["--import", "tsx", "src/cli/entry.ts", "serve", "--port", "0", "--no-sync", "--data-dir", dir.path],
    { cwd: REPO_ROOT, env: { ...process.env, LOG_LEVEL: "silent" }, stdio: ["ignore", "ignore", "pipe"] },
  );
  url = await new Promise<string>((resolve, reject) => {
    let err = "";
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      err += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(err);
      if (match) resolve(match[1] as string);
    });
    child.on("exit", (code) => reject(new Error(`serve exited (${code}): ${err}`)));
  });
  await call("PUT", "/config", { compatibility: "NONE", profile: "json-schema" });
  const invoice = {
    type: "object",
    properties: { "total-": { type: "number" }, ["a".repeat(40)]: { type: "string" } },
  };
  await call("POST", "/subjects/invoice/versions", { schema: JSON.stringify(invoice) });
}, 180_000);
afterAll(async () => {
  child?.kill("SIGKILL");
  await dir?.remove();
});

async function call(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: CT,
    signal: AbortSignal.timeout(TIMEOUT_MS),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: await res.json() };
}

async function expectTypedAndHealthy(answer: Promise<{ status: number; json: unknown }>): Promise<void> {
  const { status, json } = await answer;
  expect(status).toBeLessThan(500);
  if (status >= 400) expect((json as { code: string }).code).toMatch(/^SR_/);
  expect((await call("GET", "/healthz")).status).toBe(200);
}

for (const branch of ["regex", "walks"] as const) {
  describe(`depends on branch ${branch}`, () => {
    test.each(dependentSchemas().filter(([b]) => b === branch))("%s: %s", async (_branch, name, schema) => {
      const text = JSON.stringify(schema);
      const subject = `dep-${name.replace(/[^a-z]+/g, "-").slice(0, 40)}`;
      // Compatibility against stored property names (read scope), registration, then a validate.
      await expectTypedAndHealthy(
        call("POST", "/compatibility/subjects/invoice/versions/latest", { schema: text }),
      );
      await expectTypedAndHealthy(call("POST", `/subjects/${subject}/versions`, { schema: text }));
      await expectTypedAndHealthy(
        call("POST", `/subjects/${subject}/validate`, {
          output: JSON.stringify({ ["a".repeat(40)]: "a".repeat(40) }),
        }),
      );
    });
  });
}
