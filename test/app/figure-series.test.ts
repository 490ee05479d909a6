import { describe, expect, test } from "vitest";
import { createFigureSeries, SERIES_POINTS, SERIES_SUBJECTS } from "../../src/app/figure-series.js";
import type { GuardFigures, RolloutState } from "../../src/core/rollout/model.js";

function state(subject: string, stage: RolloutState["stage"], candidate: number | null = 2): RolloutState {
  return {
    subject,
    stage,
    stable: 1,
    candidate,
    percent: 10,
    guard: { thresholdPercent: 5, minSample: 10, windowSeconds: 60, shadowPercent: 0, enabled: true },
    revision: 1,
    updatedAt: "2026-01-01T00:00:00.000Z",
    updatedBy: "t",
  } as RolloutState;
}

const FIGURES: GuardFigures = {
  candidate: { version: 2, total: 20, failed: 2, ratePercent: 10 },
  stable: { version: 1, total: 180, failed: 0, ratePercent: 0 },
  thresholdPercent: 5,
  minSample: 10,
  windowSeconds: 60,
} as GuardFigures;

describe("rollout figure series", () => {
  test("samples serving rollouts only, oldest first, and keeps the last SERIES_POINTS", () => {
    let now = Date.parse("2026-01-01T00:00:00Z");
    const series = createFigureSeries({
      states: () => [state("a", "ramping"), state("b", "idle", null), state("c", "shadow")],
      figures: (subject) => (subject === "c" ? undefined : FIGURES),
      nowMs: () => now,
    });
    for (let i = 0; i < SERIES_POINTS + 5; i++) {
      series.sample();
      now += 5_000;
    }
    const points = series.points("a");
    expect(points).toHaveLength(SERIES_POINTS);
    expect(points[0]).toEqual({
      at: new Date(Date.parse("2026-01-01T00:00:25Z")).toISOString(),
      candidateRatePercent: 10,
      stableRatePercent: 0,
      thresholdPercent: 5,
      candidateTotal: 20,
      stableTotal: 180,
    });
    expect(series.points("b")).toEqual([]);
    expect(series.points("c")).toEqual([]);
  });

  test("keeps a series for at most SERIES_SUBJECTS subjects", () => {
    const states = Array.from({ length: SERIES_SUBJECTS + 10 }, (_, i) => state(`s${i}`, "ramping"));
    const series = createFigureSeries({ states: () => states, figures: () => FIGURES });
    series.sample();
    expect(series.points("s0")).toEqual([]);
    expect(series.points(`s${SERIES_SUBJECTS + 9}`)).toHaveLength(1);
  });
});
