import type { Answer, SoakHttp } from "./http.js";
import type { ServerProcess } from "./servers.js";
import { FIXED_KEY, ROLLOUT_SUBJECT, VALID_OUTPUT } from "./workloads.js";

/** The README's bound: every instance serves a rollout change within 2 s. */
export const PROPAGATION_LIMIT_MS = 2000;
/** How long the driver looks for agreement before it records the change as never propagated. */
const GIVE_UP_MS = 15_000;
const POLL_MS = 25;

/** One step of the cycle: a ramp (PUT) or a rollback (POST). */
type Step = { method: "PUT"; body: Record<string, unknown> } | { method: "POST"; path: "rollback" };

/** Ramp 25 → 60 → 100 %, roll back, start over: the decisions of most keys change at every step. */
const CYCLE: Step[] = [
  { method: "PUT", body: { candidate: 2, percent: 25 } },
  { method: "PUT", body: { percent: 60 } },
  { method: "PUT", body: { percent: 100 } },
  { method: "POST", path: "rollback" },
];

/** What every instance must serve after a change: the rollout's revision and the fixed key's decision. */
interface Served {
  revision: number;
  targetVersion: number;
  resolution: string;
}

/** The driver's findings: propagation lag per change, and changes that were refused or never propagated. */
export interface RolloutFindings {
  changes: number;
  lagsMs: number[];
  /** For each change slower than the limit: every instance's lag. */
  slow: string[];
  problems: string[];
}

/**
 * Makes rollout changes through the instances in turn until `isDone`. After each one, the instance that made
 * it is asked how it now serves the fixed key (it serves a change once the call returns); then every instance
 * is polled (GET …/rollout and validate for the fixed key) until all serve the same, and the time since the
 * change was answered is the lag.
 */
export async function driveRollouts(
  http: SoakHttp,
  servers: readonly ServerProcess[],
  isDone: () => boolean,
): Promise<RolloutFindings> {
  const findings: RolloutFindings = { changes: 0, lagsMs: [], slow: [], problems: [] };
  for (let i = 0; !isDone(); i++) {
    const step = CYCLE[i % CYCLE.length] as Step;
    const via = servers[i % servers.length] as ServerProcess;
    const change = await applyStep(http, via, step);
    const answeredAt = performance.now();
    if (change.status !== 200) {
      findings.problems.push(
        `rollout ${describe(step)} via ${via.name}: ${change.status} ${JSON.stringify(change.body)}`,
      );
      continue;
    }
    findings.changes += 1;
    const revision = (change.body as { revision: number }).revision;
    // Asked at once, in parallel with the first poll of every instance: the lag is not inflated by a round trip.
    const expected = servedBy(http, via, revision);
    const lags = await agreement(http, servers, revision, expected, answeredAt);
    const lag = lags === undefined ? undefined : Math.max(...lags.values());
    if (lags === undefined || lag === undefined) {
      findings.problems.push(
        `rollout ${describe(step)} (revision ${revision}) via ${via.name} never propagated`,
      );
    } else {
      findings.lagsMs.push(lag);
      if (lag > PROPAGATION_LIMIT_MS) {
        const each = [...lags].map(([s, ms]) => `${s.name} ${Math.round(ms)} ms`).join(", ");
        findings.slow.push(`${describe(step)} via ${via.name} (revision ${revision}): ${each}`);
      }
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return findings;
}

function applyStep(http: SoakHttp, server: ServerProcess, step: Step): Promise<Answer> {
  const base = `${server.url}/subjects/${ROLLOUT_SUBJECT}/rollout`;
  return step.method === "PUT"
    ? http.call("rollout", "PUT", base, step.body)
    : http.call("rollout", "POST", `${base}/${step.path}`, {});
}

function describe(step: Step): string {
  return step.method === "PUT" ? `set ${JSON.stringify(step.body)}` : step.path;
}

/** How `server` serves the fixed key now, or undefined when it does not (yet) show `revision`. */
async function servedBy(
  http: SoakHttp,
  server: ServerProcess,
  revision: number,
): Promise<Served | undefined> {
  const base = `${server.url}/subjects/${ROLLOUT_SUBJECT}`;
  const [state, outcome] = await Promise.all([
    http.call("propagation", "GET", `${base}/rollout`),
    http.call("propagation", "POST", `${base}/validate`, { output: VALID_OUTPUT, key: FIXED_KEY }),
  ]);
  if (state.status !== 200 || outcome.status !== 200) return undefined;
  const { revision: seen } = state.body as { revision: number };
  const { targetVersion, resolution } = outcome.body as { targetVersion: number; resolution: string };
  return seen === revision ? { revision, targetVersion, resolution } : undefined;
}

/**
 * Polls every instance until each serves what `expected` (the changing instance's answer) says; each one's lag
 * in ms since `since`, or undefined (gave up, or the changing instance did not show the change).
 */
async function agreement(
  http: SoakHttp,
  servers: readonly ServerProcess[],
  revision: number,
  expectedAnswer: Promise<Served | undefined>,
  since: number,
): Promise<Map<ServerProcess, number> | undefined> {
  const pending = new Set(servers);
  const lags = new Map<ServerProcess, number>();
  while (performance.now() - since < GIVE_UP_MS) {
    await Promise.all(
      [...pending].map(async (server) => {
        const [served, expected] = await Promise.all([servedBy(http, server, revision), expectedAnswer]);
        const same =
          served !== undefined &&
          expected !== undefined &&
          served.targetVersion === expected.targetVersion &&
          served.resolution === expected.resolution;
        if (same && pending.delete(server)) lags.set(server, performance.now() - since);
      }),
    );
    if (pending.size === 0) return lags;
    if ((await expectedAnswer) === undefined) return undefined;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  return undefined;
}
