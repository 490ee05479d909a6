import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildApp } from "../../src/http/app.js";
import { createRolloutHarness, type RolloutHarness } from "../app/rollout-harness.js";
import { runCli } from "./run-cli.js";

let harness: RolloutHarness;
let url: string;
let close: () => Promise<void>;

beforeAll(async () => {
  harness = await createRolloutHarness();
  const app = await buildApp({
    registry: harness.registry,
    rollout: { service: harness.rollout },
    logger: false,
  });
  url = await app.listen({ host: "127.0.0.1", port: 0 });
  close = async () => {
    await app.close();
    await harness.close();
  };
});
afterAll(() => close());

const cli = (...args: string[]) => runCli(["rollout", ...args, "--url", url]);

describe("structreg rollout", () => {
  test("status of a subject without a rollout says callers get the latest version", async () => {
    const run = await cli("status", "invoice");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("invoice: no rollout: callers get the latest version (v3)");
  });

  test("set, ramp, rollback, promote, then history: the whole 3 a.m. story", async () => {
    let run = await cli("set", "invoice", "--candidate", "3", "--percent", "10", "--reason", "first callers");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("ramping: candidate v3 on 10% of keys, stable v2 for the rest");

    run = await cli("set", "invoice", "--percent", "50", "--threshold", "5", "--min-sample", "50");
    expect(run.stdout).toContain("on 50% of keys");
    expect(run.stdout).toContain("above 5% failures over ≥50 candidate outcomes");

    run = await cli("rollback", "invoice");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("rolled back: every caller gets stable v2");

    run = await cli("promote", "invoice", "--json");
    expect(JSON.parse(run.stdout)).toMatchObject({ stable: 3, candidate: null, stage: "promoted" });

    run = await cli("history", "invoice", "--json");
    const events = JSON.parse(run.stdout) as Array<{ action: string; who: string; reason: string | null }>;
    expect(events.map((e) => e.action)).toEqual(["promote", "rollback", "set", "set"]);
    expect(events.every((e) => e.who === "cli")).toBe(true);
    expect(events.at(-1)?.reason).toBe("first callers");

    run = await cli("history", "invoice");
    expect(run.stdout).toMatch(/cli\s+promote/);
  });

  test.each([
    [["set", "invoice", "--candidate", "9", "--percent", "10"], 1, "SR_ROLLOUT_INVALID"],
    [["set", "invoice", "--candidate", "3", "--percent", "101"], 1, "SR_ROLLOUT_INVALID_PERCENT"],
    [["set", "invoice", "--candidate", "3", "--percent", "ten"], 2, "SR_USAGE"],
    [["status", "nope"], 3, "SR_SUBJECT_NOT_FOUND"],
  ])("refuses %j with exit code %i and %s", async (args, code, errorCode) => {
    const run = await cli(...args);
    expect(run.code).toBe(code);
    expect(run.stderr).toContain(`error ${errorCode}:`);
  });

  test("promote with no candidate is refused with a hint", async () => {
    await cli("rollback", "invoice");
    const run = await cli("promote", "invoice");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("error SR_ROLLOUT_NO_CANDIDATE");
    expect(run.stderr).toContain("hint: start a rollout first");
  });
});
