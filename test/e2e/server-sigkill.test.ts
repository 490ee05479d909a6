import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { createTempDatabase, createTempDir, postgresAvailable } from "../helpers/databases.js";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CT = { "content-type": "application/vnd.schemaregistry.v1+json" };

interface Server {
  child: ChildProcess;
  url: string;
  exited: Promise<NodeJS.Signals | number | null>;
}

/** Starts `structreg serve` (from source) on a free port and resolves once it prints its URL. */
function startServe(env: Record<string, string>, dataDir: string): Promise<Server> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "src/cli/entry.ts", "serve", "--port", "0", "--no-sync", "--data-dir", dataDir],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, LOG_LEVEL: "silent", ...env },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.on("exit", (code, signal) => resolve(signal ?? code)),
  );
  return new Promise((resolve, reject) => {
    let err = "";
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      err += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(err);
      if (match) resolve({ child, url: match[1]!, exited });
    });
    void exited.then((code) => reject(new Error(`serve exited (${code}) before listening: ${err}`)));
  });
}

function schemaNumber(n: number): string {
  return JSON.stringify({
    type: "object",
    properties: { id: { type: "string" }, [`note_${n}`]: { type: "string", default: "" } },
    required: ["id", `note_${n}`],
    additionalProperties: false,
  });
}

/**
 * Bursts registrations at a real server process over HTTP, SIGKILLs it mid-burst, restarts it on the same
 * store and checks that every acknowledged (HTTP 200) registration is still there, with contiguous versions.
 */
async function killDuringBurst(env: Record<string, string>, dataDir: string): Promise<void> {
  const server = await startServe(env, dataDir);
  await fetch(`${server.url}/config/burst`, {
    method: "PUT",
    headers: CT,
    body: JSON.stringify({ compatibility: "NONE" }),
  });
  const acked: Array<{ n: number; id: number; version: number }> = [];
  let next = 0;
  let killed = false;
  const worker = async () => {
    while (!killed) {
      const n = next++;
      try {
        const res = await fetch(`${server.url}/subjects/burst/versions`, {
          method: "POST",
          headers: CT,
          body: JSON.stringify({ schema: schemaNumber(n) }),
        });
        if (res.status === 200) {
          const body = (await res.json()) as { id: number; version: number };
          acked.push({ n, id: body.id, version: body.version });
          if (acked.length >= 25 && !killed) {
            killed = true;
            server.child.kill("SIGKILL");
          }
        }
      } catch {
        return; // connection reset by the kill
      }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  expect(await server.exited).toBe("SIGKILL");

  const again = await startServe(env, dataDir);
  try {
    const versions = (await (await fetch(`${again.url}/subjects/burst/versions`)).json()) as number[];
    expect(versions).toEqual(versions.map((_, i) => i + 1));
    for (const ack of acked) {
      const res = await fetch(`${again.url}/subjects/burst/versions/${ack.version}`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { id: number; schema: string };
      expect(body.id).toBe(ack.id);
      expect(JSON.parse(body.schema)).toEqual(JSON.parse(schemaNumber(ack.n)));
    }
  } finally {
    again.child.kill("SIGTERM");
    await again.exited;
  }
}

/** Bad outputs are answered 422 with a quarantine id; the server is SIGKILLed right after an answer. */
async function killAfterQuarantine(env: Record<string, string>, dataDir: string): Promise<void> {
  const server = await startServe(env, dataDir);
  const register = await fetch(`${server.url}/subjects/q/versions`, {
    method: "POST",
    headers: CT,
    body: JSON.stringify({ schema: schemaNumber(0) }),
  });
  expect(register.status).toBe(200);
  const ids: number[] = [];
  for (let i = 0; i < 12; i++) {
    const res = await fetch(`${server.url}/subjects/q/validate`, {
      method: "POST",
      headers: CT,
      body: JSON.stringify({ output: `{"note_0": "sample ${i}"}` }),
    });
    expect(res.status).toBe(422);
    ids.push(((await res.json()) as { quarantineId: number }).quarantineId);
  }
  server.child.kill("SIGKILL");
  expect(await server.exited).toBe("SIGKILL");
  const again = await startServe(env, dataDir);
  try {
    for (const id of ids) {
      const res = await fetch(`${again.url}/quarantine/${id}`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { subject: string }).subject).toBe("q");
    }
  } finally {
    again.child.kill("SIGTERM");
    await again.exited;
  }
}

describe("server killed with SIGKILL right after answering a bad output", () => {
  test("keeps every quarantined sample it answered with (PGlite data folder)", async () => {
    const dir = await createTempDir("structreg-sigkill-q-");
    try {
      await killAfterQuarantine({}, dir.path);
    } finally {
      await dir.remove();
    }
  }, 120_000);
});

describe("server killed with SIGKILL during a burst of registrations", () => {
  test("loses no acknowledged version (PGlite data folder)", async () => {
    const dir = await createTempDir("structreg-sigkill-");
    try {
      await killDuringBurst({}, dir.path);
    } finally {
      await dir.remove();
    }
  }, 120_000);

  test.skipIf(!postgresAvailable())(
    "loses no acknowledged version (PostgreSQL)",
    async () => {
      const db = await createTempDatabase();
      const dir = await createTempDir("structreg-sigkill-");
      try {
        await killDuringBurst({ DATABASE_URL: db.url }, dir.path);
      } finally {
        await db.drop();
        await dir.remove();
      }
    },
    120_000,
  );
});
