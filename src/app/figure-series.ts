/**
 * The rollout chart's history: the guard's figures of each subject whose candidate serves traffic, sampled
 * every few seconds into a bounded in-memory series. Per process (like the guard's windows): another
 * instance behind the same load balancer has its own; a restart starts empty.
 */
import type { GuardFigures, RolloutState } from "../core/rollout/model.js";

/** One sample of a subject's figures. */
export interface FigurePoint {
  /** ISO-8601. */
  at: string;
  candidateRatePercent: number;
  stableRatePercent: number;
  thresholdPercent: number;
  candidateTotal: number;
  stableTotal: number;
}

/** Sampling period. */
export const SERIES_INTERVAL_MS = 5_000;
/** Points kept per subject: 30 minutes at one every 5 s. */
export const SERIES_POINTS = 360;
/** Subjects with a series at most (the least recently sampled dropped first). */
export const SERIES_SUBJECTS = 1_000;

/** What the series reads. */
export interface FigureSeriesDeps {
  states(): RolloutState[];
  figures(subject: string): GuardFigures | undefined;
  nowMs?: () => number;
  intervalMs?: number;
}

/** The sampled series, with the timer that feeds it. */
export interface FigureSeries {
  /** Takes one sample of every serving rollout (the timer calls it). */
  sample(): void;
  /** A subject's points, oldest first (empty when none was sampled). */
  points(subject: string): FigurePoint[];
  intervalMs: number;
  start(): void;
  stop(): void;
}

/** Creates the series (call `start` to sample on a timer). */
export function createFigureSeries(deps: FigureSeriesDeps): FigureSeries {
  const nowMs = deps.nowMs ?? Date.now;
  const intervalMs = deps.intervalMs ?? SERIES_INTERVAL_MS;
  const bySubject = new Map<string, FigurePoint[]>();
  let timer: NodeJS.Timeout | undefined;

  function push(subject: string, point: FigurePoint): void {
    const points = bySubject.get(subject) ?? [];
    bySubject.delete(subject); // re-inserted last: the map's order is least recently sampled first
    if (bySubject.size >= SERIES_SUBJECTS) bySubject.delete(bySubject.keys().next().value as string);
    points.push(point);
    if (points.length > SERIES_POINTS) points.shift();
    bySubject.set(subject, points);
  }

  const series: FigureSeries = {
    intervalMs,
    sample() {
      const at = new Date(nowMs()).toISOString();
      for (const state of deps.states()) {
        if (state.candidate === null || (state.stage !== "ramping" && state.stage !== "shadow")) continue;
        const f = deps.figures(state.subject);
        if (f === undefined) continue;
        push(state.subject, {
          at,
          candidateRatePercent: f.candidate.ratePercent,
          stableRatePercent: f.stable.ratePercent,
          thresholdPercent: f.thresholdPercent,
          candidateTotal: f.candidate.total,
          stableTotal: f.stable.total,
        });
      }
    },
    points: (subject) => [...(bySubject.get(subject) ?? [])],
    start() {
      if (timer !== undefined) return;
      timer = setInterval(() => {
        try {
          series.sample();
        } catch {
          // A failed sample leaves a gap in the chart, nothing more.
        }
      }, intervalMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
  return series;
}
