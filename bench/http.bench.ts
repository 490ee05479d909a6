/**
 * HTTP validate benchmark (issue 3): `POST /subjects/{s}/validate` of the real app (buildApp over
 * createTestServices, the medium schema registered) ÷ a bare Fastify route doing only `JSON.parse` + the
 * compiled ajv validator on the same payload, both started by this run on 127.0.0.1:0 and driven by
 * autocannon at 16 and 64 connections. Goal ≥ 0.75× req/s; the p99 latency ratio is reported beside it.
 * Each server runs in a child process of its own (bench/http-server.ts) and the load generator here, so a
 * server never shares its event loop with autocannon; both sides are measured identically, alternately.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { mediumFixture } from "./fixtures.js";
import type { BenchRow } from "./harness.js";

const DURATION_S = 3;
/** Alternating rounds per connection count; each side keeps its best round (contention only ever slows). */
const ROUNDS = 2;
const CONNECTIONS = [16, 64];

/** The part of autocannon's result this benchmark reads. */
interface LoadResult {
  requests: { average: number };
  latency: { p99: number };
  non2xx: number;
  errors: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<LoadResult>;

// autocannon ships no type declarations: load it through require with the shape above.
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

async function load(url: string, body: string, connections: number, seconds: number): Promise<LoadResult> {
  const result = await autocannon({
    url,
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
    connections,
    duration: seconds,
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx answers and ${result.errors} errors under load`);
  }
  return result;
}

function better(a: LoadResult | undefined, b: LoadResult): LoadResult {
  return a === undefined || b.requests.average > a.requests.average ? b : a;
}

const SERVER_SCRIPT = fileURLToPath(new URL("./http-server.ts", import.meta.url));

/** Starts bench/http-server.ts in a child process and resolves with its URL. */
function startServer(kind: "bare" | "app"): Promise<{ url: string; close: () => Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", SERVER_SCRIPT, kind], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      const match = /listening (\S+)/.exec(out);
      if (match) {
        resolve({
          url: match[1]!,
          close: async () => {
            child.kill("SIGTERM");
            await exited;
          },
        });
      }
    });
    void exited.then(() => reject(new Error(`bench server ${kind} exited before listening`)));
  });
}

/** Runs the benchmark and returns its rows. */
export async function run(): Promise<BenchRow[]> {
  const fixture = mediumFixture();
  const bare = await startServer("bare");
  const app = await startServer("app");
  try {
    const appUrl = app.url;
    const body = JSON.stringify({ output: JSON.stringify(fixture.output), key: "user-42" });
    // Warm both (JIT, caches, sockets) before anything is measured.
    await load(bare.url, body, 16, 1);
    await load(appUrl, body, 16, 1);
    const rows: BenchRow[] = [];
    for (const connections of CONNECTIONS) {
      let base: LoadResult | undefined;
      let real: LoadResult | undefined;
      for (let r = 0; r < ROUNDS; r++) {
        base = better(base, await load(bare.url, body, connections, DURATION_S));
        real = better(real, await load(appUrl, body, connections, DURATION_S));
      }
      if (base === undefined || real === undefined) throw new Error("no load round ran");
      const group = `http validate, medium, ${connections} conn`;
      const ratio = real.requests.average / base.requests.average;
      rows.push(
        {
          group,
          name: "bare Fastify JSON.parse + ajv (baseline)",
          value: base.requests.average,
          unit: "req/s",
          ratio: 1,
        },
        {
          group,
          name: "POST /subjects/{s}/validate ÷ baseline",
          value: real.requests.average,
          unit: "req/s",
          ratio,
          goal: "≥ 0.75×",
          met: ratio >= 0.75,
        },
        {
          group,
          name: "p99 latency, validate ÷ baseline",
          value: real.latency.p99,
          unit: "ms",
          ratio: real.latency.p99 / Math.max(base.latency.p99, 1),
        },
      );
    }
    return rows;
  } finally {
    await app.close();
    await bare.close();
  }
}
