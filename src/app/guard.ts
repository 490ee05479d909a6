import { describeFigures, judgeGuard, OutcomeWindow, type RolloutArm } from "../core/rollout/guard.js";
import { GUARDED_STAGES, type GuardFigures, type RolloutState } from "../core/rollout/model.js";
import type { RolloutService } from "./rollout-types.js";
import type { Resolution } from "./validation-types.js";

/** The part of a validation outcome the guard reads. */
export interface ObservedOutcome {
  subject: string;
  targetVersion: number;
  resolution: Resolution;
  ok: boolean;
  track?: "strict" | "tolerant" | "fallback";
}

/** What the guard is built from. */
export interface RolloutGuardDeps {
  rollout: RolloutService;
  /** Milliseconds (injected for tests). Default `Date.now`. */
  nowMs?: () => number;
  /** Every counted outcome, by arm and path (metrics: per-version outcome rates). */
  onRecord?: (event: {
    subject: string;
    version: number;
    arm: RolloutArm;
    path: "served" | "shadow";
    failed: boolean;
  }) => void;
  /** After an automatic rollback committed (log line, metric). */
  onTrip?: (subject: string, figures: GuardFigures, reason: string) => void;
  /** An automatic rollback that failed (store unreachable); the next candidate outcome retries it. */
  onTripError?: (subject: string, error: unknown) => void;
}

/** Watches candidates in shadow or ramping and rolls them back when they fail too often. */
export interface RolloutGuard {
  /** Counts a caller's outcome (validate-and-parse's `onOutcome`). */
  observe(outcome: ObservedOutcome): void;
  /** Counts the outcome of a shadow run of the candidate. */
  observeShadow(subject: string, candidate: number, failed: boolean): void;
  /** The current figures of a subject's rollout (undefined when nothing is watched). */
  figures(subject: string): GuardFigures | undefined;
  /** Resolves when no automatic rollback is in flight (tests, shutdown). */
  idle(): Promise<void>;
}

interface Watch {
  candidate: number;
  stable: number;
  windowSeconds: number;
  window: OutcomeWindow;
  tripping: Promise<void> | undefined;
}

/**
 * Creates the guard. Its windows live in this process only (each process judges the traffic it served);
 * the rollback itself goes through the rollout service and the store, so every process follows it.
 */
export function createRolloutGuard(deps: RolloutGuardDeps): RolloutGuard {
  const nowMs = deps.nowMs ?? Date.now;
  const watches = new Map<string, Watch>();

  function watchFor(state: RolloutState): Watch | undefined {
    if (state.candidate === null || !GUARDED_STAGES.includes(state.stage)) return undefined;
    let watch = watches.get(state.subject);
    const stale =
      watch === undefined ||
      watch.candidate !== state.candidate ||
      watch.stable !== state.stable ||
      watch.windowSeconds !== state.guard.windowSeconds;
    if (stale) {
      // A new candidate (or window) starts from nothing; ramping 10 → 20 keeps the counts.
      watch = {
        candidate: state.candidate,
        stable: state.stable,
        windowSeconds: state.guard.windowSeconds,
        window: new OutcomeWindow(state.guard.windowSeconds * 1000),
        tripping: undefined,
      };
      watches.set(state.subject, watch);
    }
    return watch;
  }

  function record(
    subject: string,
    arm: RolloutArm,
    version: number,
    failed: boolean,
    path: "served" | "shadow",
  ) {
    const state = deps.rollout.current(subject);
    if (state === undefined) return;
    const watch = watchFor(state);
    if (watch === undefined || version !== (arm === "candidate" ? watch.candidate : watch.stable)) return;
    watch.window.record(nowMs(), arm, failed);
    deps.onRecord?.({ subject, version, arm, path, failed });
    if (arm === "candidate" && watch.tripping === undefined) judge(state, watch);
  }

  function judge(state: RolloutState, watch: Watch): void {
    const verdict = judgeGuard(watch.window.counts(nowMs()), state.guard, watch);
    if (!verdict.trip) return;
    const reason = `automatic rollback: ${describeFigures(verdict.figures)}`;
    watch.tripping = deps.rollout
      .autoRollback(state.subject, verdict.figures, reason)
      .then(() => {
        watches.delete(state.subject);
        deps.onTrip?.(state.subject, verdict.figures, reason);
      })
      .catch((error: unknown) => {
        watch.tripping = undefined;
        deps.onTripError?.(state.subject, error);
      });
  }

  return {
    observe(outcome) {
      const failed = !outcome.ok || outcome.track === "fallback";
      if (outcome.resolution === "rollout:candidate") {
        record(outcome.subject, "candidate", outcome.targetVersion, failed, "served");
      } else if (outcome.resolution === "rollout:stable") {
        record(outcome.subject, "stable", outcome.targetVersion, failed, "served");
      }
    },
    observeShadow(subject, candidate, failed) {
      record(subject, "candidate", candidate, failed, "shadow");
    },
    figures(subject) {
      const state = deps.rollout.current(subject);
      const watch = watches.get(subject);
      if (state === undefined || watch === undefined) return undefined;
      return judgeGuard(watch.window.counts(nowMs()), state.guard, watch).figures;
    },
    async idle() {
      await Promise.all([...watches.values()].map((w) => w.tripping));
    },
  };
}
