import { describe, expect, test } from "vitest";
import { DEFAULT_GUARD, type RolloutState } from "../../../src/core/rollout/model.js";
import {
  type ChangeContext,
  planPause,
  planPromote,
  planRollback,
  planSet,
} from "../../../src/core/rollout/transitions.js";

const CTX: ChangeContext = { who: "alice", at: "2026-01-01T00:00:00.000Z", defaultStable: 2 };

function ramping(patch: Partial<RolloutState> = {}): RolloutState {
  return {
    subject: "invoice",
    stable: 2,
    candidate: 3,
    percent: 10,
    stage: "ramping",
    guard: { ...DEFAULT_GUARD },
    revision: 5,
    updatedAt: "2025-12-31T00:00:00.000Z",
    updatedBy: "bob",
    ...patch,
  };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code;
  }
}

describe("planSet", () => {
  test("starts a rollout from nothing: stable defaults, revision 1, an audit event from null", () => {
    const { state, event } = planSet(undefined, "invoice", { candidate: 3, percent: 10 }, CTX);
    expect(state).toMatchObject({ stable: 2, candidate: 3, percent: 10, stage: "ramping", revision: 1 });
    expect(event).toMatchObject({ action: "set", who: "alice", from: null, revision: 1 });
    expect(event.to).toEqual({ stable: 2, candidate: 3, percent: 10, stage: "ramping" });
  });

  test("ramps the current candidate: only the percent changes", () => {
    const { state, event } = planSet(ramping(), "invoice", { percent: 50, reason: "looks good" }, CTX);
    expect(state).toMatchObject({ stable: 2, candidate: 3, percent: 50, revision: 6 });
    expect(event.from?.percent).toBe(10);
    expect(event.reason).toBe("looks good");
  });

  test("a shadow stage serves nobody the candidate (percent 0)", () => {
    const { state } = planSet(undefined, "invoice", { candidate: 3, stage: "shadow" }, CTX);
    expect(state).toMatchObject({ stage: "shadow", percent: 0 });
  });

  test("merges guard settings per subject", () => {
    const { state } = planSet(ramping(), "invoice", { guard: { thresholdPercent: 5, minSample: 20 } }, CTX);
    expect(state.guard).toEqual({ ...DEFAULT_GUARD, thresholdPercent: 5, minSample: 20 });
  });

  test.each([
    ["percent above 100", undefined, { candidate: 3, percent: 100.5 }, "SR_ROLLOUT_INVALID_PERCENT"],
    ["negative percent", undefined, { candidate: 3, percent: -1 }, "SR_ROLLOUT_INVALID_PERCENT"],
    ["NaN percent", undefined, { candidate: 3, percent: Number.NaN }, "SR_ROLLOUT_INVALID_PERCENT"],
    ["no candidate at all", undefined, { percent: 10 }, "SR_ROLLOUT_NO_CANDIDATE"],
    ["candidate equal to stable", undefined, { candidate: 2, percent: 10 }, "SR_ROLLOUT_INVALID"],
    ["shadow with a percent", undefined, { candidate: 3, stage: "shadow", percent: 5 }, "SR_ROLLOUT_INVALID"],
    ["a stale revision", ramping(), { percent: 20, revision: 4 }, "SR_ROLLOUT_CONFLICT"],
    [
      "guard threshold out of range",
      undefined,
      { candidate: 3, guard: { thresholdPercent: 120 } },
      "SR_ROLLOUT_INVALID",
    ],
    ["guard sample below 1", undefined, { candidate: 3, guard: { minSample: 0 } }, "SR_ROLLOUT_INVALID"],
  ] as const)("refuses %s", (_name, current, input, code) => {
    expect(codeOf(() => planSet(current, "invoice", input, CTX))).toBe(code);
  });
});

describe("planPromote", () => {
  test("the candidate becomes stable and the candidate slot empties", () => {
    const { state, event } = planPromote(ramping(), "invoice", {}, CTX);
    expect(state).toMatchObject({ stable: 3, candidate: null, percent: 0, stage: "promoted" });
    expect(event.action).toBe("promote");
  });

  test("a rolled-back candidate can still be promoted deliberately", () => {
    const { state } = planPromote(ramping({ stage: "rolled_back", percent: 0 }), "invoice", {}, CTX);
    expect(state.stable).toBe(3);
  });

  test.each([
    ["no rollout", undefined],
    ["no candidate", ramping({ candidate: null, stage: "promoted" })],
  ])("refuses with %s", (_name, current) => {
    expect(codeOf(() => planPromote(current, "invoice", {}, CTX))).toBe("SR_ROLLOUT_NO_CANDIDATE");
  });

  test("refuses a stale revision", () => {
    expect(codeOf(() => planPromote(ramping(), "invoice", { revision: 1 }, CTX))).toBe("SR_ROLLOUT_CONFLICT");
  });
});

describe("planRollback", () => {
  test.each([
    ["while ramping", ramping()],
    ["with nothing stored", undefined],
    ["after a promote", ramping({ candidate: null, stage: "promoted", stable: 3 })],
    ["twice", ramping({ stage: "rolled_back", percent: 0 })],
  ])("always succeeds %s and serves stable", (_name, current) => {
    const { state, event } = planRollback(current, "invoice", {}, CTX);
    expect(state).toMatchObject({ stage: "rolled_back", percent: 0 });
    expect(event.action).toBe("rollback");
  });

  test("an automatic rollback records the guard's figures", () => {
    const figures = {
      candidate: { version: 3, total: 100, failed: 50, ratePercent: 50 },
      stable: { version: 2, total: 100, failed: 0, ratePercent: 0 },
      thresholdPercent: 20,
      minSample: 100,
      windowSeconds: 300,
    };
    const { event } = planRollback(ramping(), "invoice", { figures, reason: "too many failures" }, CTX);
    expect(event).toMatchObject({ action: "auto_rollback", figures, reason: "too many failures" });
  });
});

describe("planPause", () => {
  test("keeps the candidate, sends it no traffic", () => {
    const { state, event } = planPause(ramping({ percent: 40 }), "invoice", {}, CTX);
    expect(state).toMatchObject({ stage: "idle", candidate: 3, percent: 0 });
    expect(event.action).toBe("pause");
  });
});
