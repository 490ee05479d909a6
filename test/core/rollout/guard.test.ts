import { describe, expect, test } from "vitest";
import { describeFigures, judgeGuard, OutcomeWindow } from "../../../src/core/rollout/guard.js";
import { DEFAULT_GUARD } from "../../../src/core/rollout/model.js";

const VERSIONS = { candidate: 3, stable: 2 };

describe("OutcomeWindow", () => {
  test("counts outcomes per arm inside the window", () => {
    const w = new OutcomeWindow(60_000);
    w.record(1_000, "candidate", true);
    w.record(2_000, "candidate", false);
    w.record(3_000, "stable", false);
    expect(w.counts(3_000)).toEqual({ candidate: { total: 2, failed: 1 }, stable: { total: 1, failed: 0 } });
  });

  test("forgets outcomes older than the window as it slides", () => {
    const w = new OutcomeWindow(60_000);
    w.record(0, "candidate", true);
    w.record(40_000, "candidate", true);
    expect(w.counts(50_000).candidate.total).toBe(2);
    expect(w.counts(70_000).candidate.total).toBe(1);
    expect(w.counts(200_000).candidate.total).toBe(0);
  });

  test("a slot reused after a full turn starts from zero", () => {
    const w = new OutcomeWindow(30_000);
    w.record(0, "stable", true);
    w.record(30_000, "stable", false);
    expect(w.counts(30_000).stable).toEqual({ total: 1, failed: 0 });
  });
});

describe("judgeGuard", () => {
  const settings = { ...DEFAULT_GUARD, thresholdPercent: 20, minSample: 100 };
  test.each([
    ["trips: 30% over 100, stable 5%", { total: 100, failed: 30 }, { total: 900, failed: 45 }, true],
    ["below the minimum sample", { total: 99, failed: 99 }, { total: 900, failed: 0 }, false],
    ["at the threshold exactly (not above)", { total: 100, failed: 20 }, { total: 900, failed: 0 }, false],
    [
      "above threshold but not worse than stable",
      { total: 100, failed: 40 },
      { total: 900, failed: 450 },
      false,
    ],
    ["a healthy candidate", { total: 500, failed: 10 }, { total: 500, failed: 12 }, false],
    ["no stable sample at all", { total: 100, failed: 50 }, { total: 0, failed: 0 }, true],
  ])("%s", (_name, candidate, stable, trip) => {
    expect(judgeGuard({ candidate, stable }, settings, VERSIONS).trip).toBe(trip);
  });

  test("never trips when the guard is disabled, but still reports figures", () => {
    const verdict = judgeGuard(
      { candidate: { total: 100, failed: 100 }, stable: { total: 10, failed: 0 } },
      { ...settings, enabled: false },
      VERSIONS,
    );
    expect(verdict.trip).toBe(false);
    expect(verdict.figures.candidate).toEqual({ version: 3, total: 100, failed: 100, ratePercent: 100 });
  });

  test("the figures read as one sentence with both rates", () => {
    const { figures } = judgeGuard(
      { candidate: { total: 100, failed: 30 }, stable: { total: 300, failed: 3 } },
      settings,
      VERSIONS,
    );
    expect(describeFigures(figures)).toBe(
      "candidate v3 failed 30/100 (30%) over 300s, above the 20% threshold and worse than stable v2 3/300 (1%)",
    );
  });
});
