/**
 * Profiles a validate server under autocannon load and prints where its CPU time goes:
 * `npx tsx bench/profile-http.ts [app|bare] [connections=64] [seconds=8]`. `app` is structreg started as
 * `npm start` starts it (see real-server.ts), `bare` the baseline route of bench/http-server.ts. One second
 * of load warms the server first; only the samples of the measured load count. The profile stays in a
 * temporary folder (its path is printed) for a closer look in Chrome DevTools.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { mediumFixture } from "./fixtures.js";
import { summarize } from "./profile-summary.js";
import { startRealServer } from "./real-server.js";

type Autocannon = (options: Record<string, unknown>) => Promise<{
  requests: { average: number; total: number };
  latency: { p99: number };
  non2xx: number;
}>;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

const kind = process.argv[2] === "bare" ? "bare" : "app";
const connections = Number(process.argv[3] ?? 64);
const duration = Number(process.argv[4] ?? 8);
const profDir = mkdtempSync(join(tmpdir(), "structreg-prof-"));
const fixture = mediumFixture();

/** The bare route with --cpu-prof, as http.bench.ts starts it otherwise. */
function startBare(): Promise<{ url: string; close: () => Promise<string> }> {
  const script = fileURLToPath(new URL("./http-server.ts", import.meta.url));
  const child: ChildProcess = spawn(
    process.execPath,
    ["--cpu-prof", "--cpu-prof-dir", profDir, "--import", "tsx", script],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  return new Promise((resolve) => {
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      const match = /listening (\S+)/.exec(chunk);
      if (match) {
        const close = async () => {
          child.kill("SIGTERM");
          await exited;
          return "";
        };
        resolve({ url: match[1]!, close });
      }
    });
  });
}

async function start(): Promise<{ url: string; close: () => Promise<string> }> {
  if (kind === "bare") return startBare();
  process.env.BENCH_CPU_PROF = profDir;
  const app = await startRealServer({ "bench-http": fixture.schema });
  return { url: `${app.url}/subjects/bench-http/validate`, close: app.close };
}

const server = await start();
const load = (seconds: number) =>
  autocannon({
    url: server.url,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ output: JSON.stringify(fixture.output), key: "user-42" }),
    connections,
    duration: seconds,
  });
await load(1);
const result = await load(duration);
const loadEnd = performance.now();
const log = await server.close();
// The profile ends when the process exits: count only the samples taken under load, before the shutdown.
const tail = performance.now() - loadEnd;
console.log(`${result.requests.average} req/s, p99 ${result.latency.p99} ms, ${result.non2xx} non-2xx`);
console.log(
  `${result.requests.total} requests measured; µs per request = ms in the tables × ${(1000 / result.requests.total).toFixed(4)}`,
);
if (log !== "")
  console.log(`${log.split("\n").length - 1} log lines; last: ${log.trimEnd().split("\n").at(-1)}`);
const profile = readdirSync(profDir).find((f) => f.endsWith(".cpuprofile"));
if (profile !== undefined) {
  console.log(`profile: ${join(profDir, profile)}`);
  summarize(join(profDir, profile), 40, -(tail + duration * 1000), -tail);
}
