import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createEmbeddedFlagSource } from "../../../src/adapters/flags/embedded-flags.js";
import type { FlagSource } from "../../../src/app/rollout-types.js";
import { DEFAULT_GUARD, type RolloutState } from "../../../src/core/rollout/model.js";

const KEYS = 10_000;
const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

function ramping(percent: number, revision = 1): RolloutState {
  return {
    subject: "invoice",
    stable: 2,
    candidate: 3,
    percent,
    stage: "ramping",
    guard: { ...DEFAULT_GUARD },
    revision,
    updatedAt: "2026-01-01T00:00:00.000Z",
    updatedBy: "cli",
  };
}

async function candidateKeys(flags: FlagSource, count = KEYS): Promise<Set<number>> {
  const on = new Set<number>();
  for (let i = 0; i < count; i++) if ((await flags.variation("invoice", `k${i}`, 2)) === 3) on.add(i);
  return on;
}

/** Runs the fixture in its own Node process and returns the indexes of the keys it put on the candidate. */
function evaluateInChild(state: RolloutState): Promise<{ pid: number; onCandidate: number[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "test/adapters/flags/fixtures/evaluate-keys.ts",
        JSON.stringify(state),
        String(KEYS),
      ],
      { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (err += c));
    child.on("exit", (code) =>
      code === 0 ? resolve(JSON.parse(out.trim())) : reject(new Error(`child exited ${code}: ${err}`)),
    );
  });
}

describe("percentage rollouts through the LaunchDarkly SDK (embedded TestData)", () => {
  let flags: FlagSource;
  beforeAll(async () => {
    flags = createEmbeddedFlagSource({ keyPrefix: "structreg." });
    await flags.whenReady();
  });
  afterAll(() => flags.close());

  test("over 10,000 distinct keys at 30% the candidate share is within 1.5 points", async () => {
    await flags.publish(ramping(30));
    const share = ((await candidateKeys(flags)).size / KEYS) * 100;
    expect(Math.abs(share - 30)).toBeLessThanOrEqual(1.5);
  });

  test("every key gets the same version on every call", async () => {
    await flags.publish(ramping(30));
    const first = await candidateKeys(flags, 2000);
    for (let round = 0; round < 3; round++) expect(await candidateKeys(flags, 2000)).toEqual(first);
  });

  test("ramping 10 → 20 → 50 moves no key back to stable", async () => {
    let previous = new Set<number>();
    for (const [i, percent] of [10, 20, 50].entries()) {
      await flags.publish(ramping(percent, i + 1));
      const now = await candidateKeys(flags);
      for (const key of previous)
        expect(now.has(key), `key k${key} left the candidate at ${percent}%`).toBe(true);
      expect(now.size).toBeGreaterThan(previous.size);
      previous = now;
    }
  });

  test("two other processes, and one started after them (a restart), put exactly the same keys on the candidate", async () => {
    const state = ramping(30, 7);
    await flags.publish(state);
    const here = [...(await candidateKeys(flags))];
    const [a, b] = await Promise.all([evaluateInChild(state), evaluateInChild(state)]);
    const restarted = await evaluateInChild(state);
    expect(a.pid).not.toBe(b.pid);
    for (const other of [a, b, restarted]) expect(other.onCandidate).toEqual(here);
  }, 60_000);

  test("a flag the SDK does not know answers the caller's default (stable), never an error", async () => {
    expect(await flags.variation("never-configured", "k1", 2)).toBe(2);
  });
});
