import { describe, expect, test } from "vitest";
import { buildFlag, candidateWeight, flagKeyFor, saltFor } from "../../../src/core/rollout/flag.js";
import { DEFAULT_GUARD, type RolloutState } from "../../../src/core/rollout/model.js";

function state(patch: Partial<RolloutState>): RolloutState {
  return {
    subject: "invoice",
    stable: 2,
    candidate: 3,
    percent: 30,
    stage: "ramping",
    guard: { ...DEFAULT_GUARD },
    revision: 4,
    updatedAt: "2026-01-01T00:00:00.000Z",
    updatedBy: "cli",
    ...patch,
  };
}

describe("buildFlag", () => {
  test("ramping is a two-way rollout [candidate, stable] bucketed by key, weights summing to 100000", () => {
    const flag = buildFlag(state({ percent: 30 }), "structreg.");
    expect(flag.key).toBe("structreg.invoice");
    expect(flag.variations).toEqual([3, 2]);
    expect(flag.fallthrough).toEqual({
      rollout: {
        bucketBy: "key",
        contextKind: "user",
        variations: [
          { variation: 0, weight: 30_000 },
          { variation: 1, weight: 70_000 },
        ],
      },
    });
    expect(flag.offVariation).toBe(1);
    expect(flag.on).toBe(true);
    expect(flag.version).toBe(4);
  });

  test.each([
    ["shadow", { stage: "shadow", percent: 0 }],
    ["idle (paused)", { stage: "idle", percent: 0 }],
    ["rolled_back", { stage: "rolled_back", percent: 0 }],
  ] as const)("%s serves stable to every key, keeping the variation order", (_name, patch) => {
    const flag = buildFlag(state(patch), "structreg.");
    expect(flag.variations).toEqual([3, 2]);
    expect(flag.fallthrough).toEqual({ variation: 1 });
  });

  test("without a candidate the flag has the stable variation only", () => {
    const flag = buildFlag(state({ candidate: null, stage: "promoted", stable: 3, percent: 0 }), "x-");
    expect(flag.key).toBe("x-invoice");
    expect(flag.variations).toEqual([3]);
    expect(flag.fallthrough).toEqual({ variation: 0 });
  });

  test("the salt depends on the subject only, never on the state", () => {
    const a = buildFlag(state({ percent: 10, revision: 1 }), "p.");
    const b = buildFlag(state({ percent: 50, revision: 9, candidate: 4 }), "p.");
    expect(a.salt).toBe(b.salt);
    expect(a.salt).toBe(saltFor("invoice"));
    expect(flagKeyFor("p.", "invoice")).toBe("p.invoice");
  });

  test.each([
    [0, 0],
    [2.5, 2500],
    [33.3333, 33_333],
    [99.9995, 100_000],
    [100, 100_000],
  ])("percent %s is weight %s (thousandths of a percent)", (percent, weight) => {
    expect(candidateWeight(percent)).toBe(weight);
  });
});
