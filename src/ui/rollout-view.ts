/** The rollout view's figures: state, guard window, and the text status beside every colour cue. */
import type { FigurePoint } from "../app/figure-series.js";
import type { RolloutView } from "../app/rollout-types.js";
import type { GuardFigures } from "../core/rollout/model.js";

/** A chart point as the page carries it: [epoch seconds, candidate %, stable %, threshold %] (compact JSON). */
export function chartSeries(points: readonly FigurePoint[]): Array<[number, number, number, number]> {
  return points.map((p) => [
    Math.round(Date.parse(p.at) / 1000),
    round1(p.candidateRatePercent),
    round1(p.stableRatePercent),
    p.thresholdPercent,
  ]);
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/** Ramp steps offered as one-click buttons (an exact percent can be typed too). */
export function rampSteps(): number[] {
  return [1, 5, 10, 25, 50, 100];
}

/** What the live panel shows. */
export function liveFigures(rollout: RolloutView, figures: GuardFigures | undefined) {
  const serving = rollout.candidate !== null && (rollout.stage === "ramping" || rollout.stage === "shadow");
  const candidateRate = figures?.candidate.ratePercent ?? null;
  const sampleProgress = figures === undefined ? null : Math.min(figures.candidate.total, figures.minSample);
  let status = "No candidate is watched.";
  if (figures !== undefined) {
    if (figures.candidate.total < figures.minSample) {
      status = `Collecting: ${figures.candidate.total} of ${figures.minSample} candidate outcomes needed before the guard judges.`;
    } else if ((candidateRate ?? 0) > figures.thresholdPercent) {
      status = `Above threshold: the candidate fails ${fmt(candidateRate)}%, more than ${fmt(figures.thresholdPercent)}%.`;
    } else {
      status = `Healthy: the candidate fails ${fmt(candidateRate)}%, at or below ${fmt(figures.thresholdPercent)}%.`;
    }
  }
  return { rollout, figures: figures ?? null, serving, status, sampleProgress, at: new Date().toISOString() };
}

function fmt(n: number | null): string {
  return n === null ? "—" : n.toFixed(1);
}
