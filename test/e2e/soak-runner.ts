/**
 * The multi-instance soak shared by test/e2e/multi-instance.test.ts (CI, short) and `npm run soak` (60 s or
 * SOAK_SECONDS): three `structreg serve` processes on one PostgreSQL database, concurrent registrations to
 * the same subjects through all three, rollout ramps and rollbacks through any of them, validate load
 * through all of them, memory sampled from each process's /metrics. Every failed check is a line in
 * `problems`; the caller decides how to fail.
 */
import { runWorkers, SoakHttp, Tally } from "./soak/http.js";
import { HEAP_GROWTH_LIMIT_MIB, type MemoryFigures, MemorySampler } from "./soak/memory.js";
import { driveRollouts, PROPAGATION_LIMIT_MS, type RolloutFindings } from "./soak/rollout-driver.js";
import { type CliEntry, freshestEntry, type ServerProcess, startServer } from "./soak/servers.js";
import { verifyAcks } from "./soak/verify.js";
import { type Ack, prepareSubjects, registerUntil, validateUntil } from "./soak/workloads.js";

/** How a soak runs. */
export interface SoakOptions {
  /** A database of its own (it is written to; the caller creates and drops it). */
  databaseUrl: string;
  seconds: number;
  instances?: number;
  /** Concurrent validate requests across all instances. */
  validateWorkers?: number;
  /** Concurrent registrations across all instances. */
  registerWorkers?: number;
  /** How the servers are started (default: dist/ when it is up to date with src/, else src/ through tsx). */
  entry?: CliEntry;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

/** Everything a soak found. */
export interface SoakReport {
  seconds: number;
  requests: Record<string, Record<string, number>>;
  acknowledged: number;
  versions: Record<string, number>;
  rollout: { changes: number; maxLagMs: number; medianLagMs: number };
  memory: MemoryFigures[];
  problems: string[];
}

/** Runs the soak and reports; servers are always stopped. */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => undefined);
  const tally = new Tally();
  const http = new SoakHttp(tally);
  const servers: ServerProcess[] = [];
  try {
    const count = options.instances ?? 3;
    const entry = options.entry ?? freshestEntry();
    // Started together on the empty database, as replicas of a deployment are: their migrations race.
    const started = await Promise.allSettled(
      Array.from({ length: count }, (_, i) => startServer(`instance-${i + 1}`, options.databaseUrl, entry)),
    );
    for (const s of started) if (s.status === "fulfilled") servers.push(s.value);
    const failed = started.find((s) => s.status === "rejected");
    if (failed !== undefined) throw failed.reason;
    log(
      `started (${entry === "dist" ? "node bin/structreg.js" : "src/cli/entry.ts via tsx"}) ${servers.map((s) => `${s.name} ${s.url} (pid ${s.pid})`).join(", ")}`,
    );
    await prepareSubjects(http, servers[0] as ServerProcess);
    return await soak(http, servers, options, log);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await http.close();
  }
}

async function soak(
  http: SoakHttp,
  servers: ServerProcess[],
  options: SoakOptions,
  log: (line: string) => void,
): Promise<SoakReport> {
  const startedAt = performance.now();
  const durationMs = options.seconds * 1000;
  const isDone = () => performance.now() - startedAt >= durationMs;
  const acks: Ack[] = [];
  const counter = { next: 0 }; // shared: every registration is a distinct schema
  const memory = new MemorySampler(http, servers);
  const sampleEveryMs = Math.min(2000, Math.max(250, durationMs / 40));
  let rollout: RolloutFindings = { changes: 0, lagsMs: [], slow: [], problems: [] };
  log(`driving load for ${options.seconds} s`);
  await Promise.all([
    memory.run(startedAt, sampleEveryMs, isDone),
    runWorkers(options.registerWorkers ?? 3, () => registerUntil(http, servers, counter, acks, isDone)),
    runWorkers(options.validateWorkers ?? 6, (w) => validateUntil(http, servers, w, isDone)),
    driveRollouts(http, servers, isDone).then((found) => {
      rollout = found;
    }),
  ]);
  log(`load done; verifying ${acks.length} acknowledged registrations`);
  const verified = await verifyAcks(http, servers, acks);
  return report(
    options.seconds,
    http.tally,
    acks,
    verified,
    rollout,
    memory.figures(durationMs / 3),
    servers,
  );
}

function report(
  seconds: number,
  tally: Tally,
  acks: Ack[],
  verified: { versions: Record<string, number>; problems: string[] },
  rollout: RolloutFindings,
  memory: MemoryFigures[],
  servers: ServerProcess[],
): SoakReport {
  const lags = [...rollout.lagsMs].sort((a, b) => a - b);
  const maxLagMs = Math.round(lags.at(-1) ?? 0);
  const problems = [...verified.problems, ...rollout.problems];
  if (tally.failureCount > 0)
    problems.push(`${tally.failureCount} 5xx or failed requests: ${tally.failures.join("\n")}`);
  if (maxLagMs > PROPAGATION_LIMIT_MS)
    problems.push(
      `rollout propagation took ${maxLagMs} ms (limit ${PROPAGATION_LIMIT_MS}):\n${rollout.slow.join("\n")}`,
    );
  if (rollout.changes === 0) problems.push("no rollout change was made");
  if (acks.length === 0) problems.push("no registration was acknowledged");
  problems.push(...processProblems(memory, servers));
  return {
    seconds,
    requests: tally.toJSON(),
    acknowledged: acks.length,
    versions: verified.versions,
    rollout: {
      changes: rollout.changes,
      maxLagMs,
      medianLagMs: Math.round(lags[Math.floor(lags.length / 2)] ?? 0),
    },
    memory,
    problems,
  };
}

/** Memory growth, too few samples, an exit or error log lines of any process. */
function processProblems(memory: MemoryFigures[], servers: ServerProcess[]): string[] {
  const problems: string[] = [];
  for (const m of memory) {
    if (m.samples < 3) problems.push(`${m.name}: only ${m.samples} memory samples after warm-up`);
    if (m.heapGrowthMiB > HEAP_GROWTH_LIMIT_MIB) {
      problems.push(
        `${m.name}: heap grew ${m.heapGrowthMiB} MiB after warm-up (limit ${HEAP_GROWTH_LIMIT_MIB})`,
      );
    }
  }
  for (const s of servers) {
    if (s.crashed()) problems.push(`${s.name} exited during the run:\n${s.tail()}`);
    const { count, first } = s.errors();
    if (count > 0) problems.push(`${s.name} logged ${count} error lines:\n${first.join("\n")}`);
  }
  return problems;
}

/** The report as a few human-readable lines. */
export function formatReport(r: SoakReport): string {
  const lines = [`soak: ${r.seconds} s, 3 instances on one PostgreSQL`];
  for (const [kind, byStatus] of Object.entries(r.requests)) {
    const statuses = Object.entries(byStatus).map(([status, n]) => `${status}: ${n}`);
    lines.push(`  ${kind.padEnd(12)} ${statuses.join(", ")}`);
  }
  lines.push(
    `  acknowledged registrations: ${r.acknowledged}; versions per subject: ${JSON.stringify(r.versions)}`,
  );
  lines.push(
    `  rollout changes: ${r.rollout.changes}; propagation lag max ${r.rollout.maxLagMs} ms, median ${r.rollout.medianLagMs} ms`,
  );
  for (const m of r.memory) {
    lines.push(
      `  ${m.name} (pid ${m.pid}): heap ${m.heapBaselineMiB} → ${m.heapFinalMiB} MiB (${m.heapGrowthMiB >= 0 ? "+" : ""}${m.heapGrowthMiB}), rss ${m.rssFirstMiB} → ${m.rssLastMiB} MiB, ${m.samples} samples`,
    );
  }
  lines.push(
    r.problems.length === 0 ? "  OK: no problem found" : `  PROBLEMS:\n  - ${r.problems.join("\n  - ")}`,
  );
  return lines.join("\n");
}
