/**
 * HTTP validate benchmark (issue 9): `POST /subjects/{s}/validate` of structreg started the way `npm start`
 * starts it (`node bin/structreg.js serve` in its own process, every setting at its default, default
 * logging; see real-server.ts) ÷ a bare Fastify route doing only `JSON.parse` + the compiled ajv validator
 * on the same payload (bench/http-server.ts, its own process too), driven by autocannon at 16 and 64
 * connections from this process. Goals: ≥ 0.85× req/s and p99 ≤ 1.5× the bare route's. Both sides are
 * measured identically, alternately, after a warm-up of each; each figure is the median of its rounds
 * (a shared machine's load comes and goes: the median of alternating rounds is the fair comparison).
 * autocannon records latency in whole milliseconds, so a p99 of 1 ms against 2 ms reads 2×.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { mediumFixture } from "./fixtures.js";
import type { BenchRow } from "./harness.js";
import { startRealServer } from "./real-server.js";

const DURATION_S = 3;
const SUBJECT = "bench-http";
/** Alternating rounds per connection count; each figure is the median of its rounds. */
const ROUNDS = 5;
const CONNECTIONS = [16, 64];

/** The part of autocannon's result this benchmark reads. */
interface LoadResult {
  requests: { average: number; sent: number };
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

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The median round's throughput and the median p99 of the rounds. */
function medianOf(rounds: readonly LoadResult[]): { rps: number; p99: number } {
  return {
    rps: median(rounds.map((r) => r.requests.average)),
    p99: median(rounds.map((r) => r.latency.p99)),
  };
}

/**
 * CPU time a process has used, ms (Linux /proc; undefined elsewhere). Per request it is a steadier figure
 * than throughput on a shared machine: other processes' load delays a server more than it inflates its CPU.
 */
function cpuMs(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    // utime and stime, in clock ticks of 10 ms (USER_HZ is 100 on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** A load round that also answers the server's CPU µs per request (undefined without /proc). */
async function measured(
  server: { url: string; pid?: number | undefined },
  body: string,
  connections: number,
): Promise<{ result: LoadResult; cpuUs: number | undefined }> {
  const before = cpuMs(server.pid);
  const result = await load(server.url, body, connections, DURATION_S);
  const after = cpuMs(server.pid);
  const cpuUs =
    before === undefined || after === undefined
      ? undefined
      : ((after - before) * 1000) / result.requests.sent;
  return { result, cpuUs };
}

const SERVER_SCRIPT = fileURLToPath(new URL("./http-server.ts", import.meta.url));

/** Starts bench/http-server.ts (the bare route) in a child process and resolves with its URL. */
function startBare(): Promise<{ url: string; pid: number | undefined; close: () => Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", SERVER_SCRIPT], {
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
          pid: child.pid,
          close: async () => {
            child.kill("SIGTERM");
            await exited;
          },
        });
      }
    });
    void exited.then(() => reject(new Error("bare bench server exited before listening")));
  });
}

function rowsFor(
  connections: number,
  base: { rps: number; p99: number },
  real: { rps: number; p99: number },
): BenchRow[] {
  const group = `http validate, medium, ${connections} conn`;
  const ratio = real.rps / base.rps;
  const p99 = real.p99 / Math.max(base.p99, 1);
  return [
    {
      group,
      name: "bare Fastify JSON.parse + ajv (baseline)",
      value: base.rps,
      unit: "req/s",
      ratio: 1,
    },
    {
      group,
      name: "POST /subjects/{s}/validate (npm start) ÷ baseline",
      value: real.rps,
      unit: "req/s",
      ratio,
      goal: "≥ 0.85×",
      met: ratio >= 0.85,
    },
    { group, name: "p99 latency of the baseline", value: base.p99, unit: "ms", ratio: 1 },
    {
      group,
      name: "p99 latency, validate ÷ baseline",
      value: real.p99,
      unit: "ms",
      ratio: p99,
      goal: "≤ 1.5×",
      met: p99 <= 1.5,
    },
  ];
}

/** Runs the benchmark and returns its rows. */
export async function run(): Promise<BenchRow[]> {
  const fixture = mediumFixture();
  const bare = await startBare();
  const app = await startRealServer({ [SUBJECT]: fixture.schema });
  try {
    const appUrl = `${app.url}/subjects/${SUBJECT}/validate`;
    const body = JSON.stringify({ output: JSON.stringify(fixture.output), key: "user-42" });
    // Warm both (JIT, caches, sockets) before anything is measured.
    await load(bare.url, body, 16, 1);
    let sent = (await load(appUrl, body, 16, 1)).requests.sent;
    const rows: BenchRow[] = [loadRow()];
    for (const connections of CONNECTIONS) {
      const base: LoadResult[] = [];
      const real: LoadResult[] = [];
      const cpu: { base: number[]; real: number[] } = { base: [], real: [] };
      const runBare = async () => {
        const b = await measured(bare, body, connections);
        base.push(b.result);
        if (b.cpuUs !== undefined) cpu.base.push(b.cpuUs);
      };
      const runApp = async () => {
        const a = await measured({ url: appUrl, pid: app.pid }, body, connections);
        sent += a.result.requests.sent;
        real.push(a.result);
        if (a.cpuUs !== undefined) cpu.real.push(a.cpuUs);
      };
      // Every other round starts with the other server, so neither always follows the same neighbour.
      for (let r = 0; r < ROUNDS; r++) {
        for (const round of r % 2 === 0 ? [runBare, runApp] : [runApp, runBare]) await round();
      }
      rows.push(...rowsFor(connections, medianOf(base), medianOf(real)), ...cpuRows(connections, cpu));
    }
    rows.push(loadRow());
    rows.push(logRow(await app.close(), sent));
    return rows;
  } finally {
    await app.close();
    await bare.close();
  }
}

/** Server CPU per request (the median of the rounds), when /proc is there. */
function cpuRows(connections: number, cpu: { base: number[]; real: number[] }): BenchRow[] {
  if (cpu.base.length === 0 || cpu.real.length === 0) return [];
  const group = `http validate, medium, ${connections} conn`;
  const base = median(cpu.base);
  const real = median(cpu.real);
  return [
    { group, name: "server CPU per request, baseline", value: base, unit: "µs", ratio: 1 },
    {
      group,
      name: "server CPU per request, validate ÷ baseline",
      value: real,
      unit: "µs",
      ratio: real / base,
    },
  ];
}

/** The machine's 1-minute load average (printed before and after the rounds: what the figures rest on). */
function loadRow(): BenchRow {
  const cores = availableParallelism();
  return {
    group: "http validate, machine",
    name: `load average (1 min) on ${cores} cores`,
    value: loadavg()[0] ?? 0,
    unit: "",
    ratio: 1,
  };
}

/** The server's log lines per measured request: evidence the default logging was on while measured. */
function logRow(log: string, sent: number): BenchRow {
  const lines = log.split("\n").filter((l) => l.includes('"reqId"')).length;
  return {
    group: "http validate, log",
    name: "request log lines per request sent",
    value: lines / Math.max(sent, 1),
    unit: "lines",
    ratio: 1,
  };
}
