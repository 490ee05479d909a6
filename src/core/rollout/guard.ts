import type { GuardFigures, GuardSettings, OutcomeCounts } from "./model.js";

/** Which side of a rollout an outcome belongs to. */
export type RolloutArm = "candidate" | "stable";

/** How many slices a window is cut into: the window slides by one slice at a time. */
const SLICES = 30;

interface Slice {
  /** Index of the slice since the epoch (time ÷ slice length); -1 when never used. */
  index: number;
  candidate: OutcomeCounts;
  stable: OutcomeCounts;
}

/**
 * Outcome counts of a candidate and its stable version over a sliding time window, in fixed slices (a ring),
 * so recording is O(1) and memory is constant whatever the traffic. Time is passed in (milliseconds).
 */
export class OutcomeWindow {
  private readonly sliceMs: number;
  private readonly slices: Slice[];

  constructor(windowMs: number) {
    this.sliceMs = Math.max(1, Math.ceil(windowMs / SLICES));
    this.slices = Array.from({ length: SLICES }, () => emptySlice(-1));
  }

  /** Counts one outcome of `arm` at `nowMs`. */
  record(nowMs: number, arm: RolloutArm, failed: boolean): void {
    const index = Math.floor(nowMs / this.sliceMs);
    const at = index % SLICES;
    let slice = this.slices[at] as Slice;
    if (slice.index !== index) {
      slice = emptySlice(index);
      this.slices[at] = slice;
    }
    const counts = slice[arm];
    counts.total += 1;
    if (failed) counts.failed += 1;
  }

  /** Totals over the slices still inside the window at `nowMs`. */
  counts(nowMs: number): { candidate: OutcomeCounts; stable: OutcomeCounts } {
    const newest = Math.floor(nowMs / this.sliceMs);
    const candidate = { total: 0, failed: 0 };
    const stable = { total: 0, failed: 0 };
    for (const slice of this.slices) {
      if (slice.index < 0 || slice.index <= newest - SLICES || slice.index > newest) continue;
      candidate.total += slice.candidate.total;
      candidate.failed += slice.candidate.failed;
      stable.total += slice.stable.total;
      stable.failed += slice.stable.failed;
    }
    return { candidate, stable };
  }
}

function emptySlice(index: number): Slice {
  return { index, candidate: { total: 0, failed: 0 }, stable: { total: 0, failed: 0 } };
}

/** Failure rate in percent (0 when there is no sample). */
export function failureRatePercent(counts: OutcomeCounts): number {
  return counts.total === 0 ? 0 : (counts.failed / counts.total) * 100;
}

/** The guard's verdict: whether to roll back, with the figures it was decided on. */
export interface GuardVerdict {
  trip: boolean;
  figures: GuardFigures;
}

/**
 * Trips when the candidate has at least `minSample` outcomes, its failure rate is strictly above the
 * threshold, and strictly worse than stable's (a bad input stream that breaks both is not the candidate's fault).
 */
export function judgeGuard(
  counts: { candidate: OutcomeCounts; stable: OutcomeCounts },
  settings: GuardSettings,
  versions: { candidate: number; stable: number },
): GuardVerdict {
  const candidateRate = failureRatePercent(counts.candidate);
  const stableRate = failureRatePercent(counts.stable);
  const figures: GuardFigures = {
    candidate: { version: versions.candidate, ...counts.candidate, ratePercent: round2(candidateRate) },
    stable: { version: versions.stable, ...counts.stable, ratePercent: round2(stableRate) },
    thresholdPercent: settings.thresholdPercent,
    minSample: settings.minSample,
    windowSeconds: settings.windowSeconds,
  };
  const trip =
    settings.enabled &&
    counts.candidate.total >= settings.minSample &&
    candidateRate > settings.thresholdPercent &&
    candidateRate > stableRate;
  return { trip, figures };
}

/** The figures as one human sentence (audit reason and log line). */
export function describeFigures(figures: GuardFigures): string {
  const c = figures.candidate;
  const s = figures.stable;
  return (
    `candidate v${c.version} failed ${c.failed}/${c.total} (${c.ratePercent}%) over ${figures.windowSeconds}s, ` +
    `above the ${figures.thresholdPercent}% threshold and worse than stable v${s.version} ` +
    `${s.failed}/${s.total} (${s.ratePercent}%)`
  );
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
