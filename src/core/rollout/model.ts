/** Rollout vocabulary: per-subject state, guard settings and audit events (pure data, no behaviour). */

export const ROLLOUT_STAGES = ["idle", "shadow", "ramping", "promoted", "rolled_back"] as const;
/**
 * Where a subject's rollout is. `idle`: no candidate traffic (a paused candidate may be kept); `shadow`: callers
 * get stable, a share of outputs also runs through the candidate; `ramping`: `percent` of keys get the
 * candidate; `promoted`: the candidate became stable; `rolled_back`: the candidate was withdrawn.
 */
export type RolloutStage = (typeof ROLLOUT_STAGES)[number];

/** True for a known stage name. */
export function isRolloutStage(value: unknown): value is RolloutStage {
  return typeof value === "string" && (ROLLOUT_STAGES as readonly string[]).includes(value);
}

/** Stages in which a candidate sees outcomes the guard watches. */
export const GUARDED_STAGES: readonly RolloutStage[] = ["shadow", "ramping"];

/** Per-subject settings of the guarded auto-rollback and of the shadow stage. */
export interface GuardSettings {
  /** Candidate failure rate (percent, 0–100) above which the guard rolls back. */
  thresholdPercent: number;
  /** Candidate outcomes needed in the window before the guard may judge. */
  minSample: number;
  /** Length of the sliding window, seconds. */
  windowSeconds: number;
  /** Share of outputs (percent, 0–100) also run through the candidate in the shadow stage. */
  shadowPercent: number;
  /** False turns the automatic rollback off (figures are still recorded). */
  enabled: boolean;
}

/** Defaults of the guard: 20% over at least 100 outcomes in 5 minutes; shadow 10% of outputs. */
export const DEFAULT_GUARD: Readonly<GuardSettings> = {
  thresholdPercent: 20,
  minSample: 100,
  windowSeconds: 300,
  shadowPercent: 10,
  enabled: true,
};

/** The traffic-relevant part of a rollout state (what audit events record as from/to). */
export interface RolloutSnapshot {
  stable: number;
  candidate: number | null;
  /** Share of context keys served the candidate while ramping, 0–100 (fractional, thousandths of a percent). */
  percent: number;
  stage: RolloutStage;
}

/** A subject's rollout state as stored. `revision` grows by one with every change (optimistic concurrency). */
export interface RolloutState extends RolloutSnapshot {
  subject: string;
  guard: GuardSettings;
  revision: number;
  /** ISO-8601 time of the last change. */
  updatedAt: string;
  updatedBy: string;
}

export const ROLLOUT_ACTIONS = ["set", "promote", "rollback", "pause", "auto_rollback"] as const;
/** What an audit event records. */
export type RolloutAction = (typeof ROLLOUT_ACTIONS)[number];

/** Outcome counts of one version over the guard's window. */
export interface OutcomeCounts {
  total: number;
  /** Failures and fallbacks to another version. */
  failed: number;
}

/** The figures an automatic rollback is decided on (recorded in its audit event). */
export interface GuardFigures {
  candidate: OutcomeCounts & { version: number; ratePercent: number };
  stable: OutcomeCounts & { version: number; ratePercent: number };
  thresholdPercent: number;
  minSample: number;
  windowSeconds: number;
}

/** One audit event: who changed what, when, from which state to which, and why. */
export interface RolloutEvent {
  id: number;
  subject: string;
  /** The state's revision after the change. */
  revision: number;
  action: RolloutAction;
  /** Token name, "cli" (local commands) or "system" (the guard). */
  who: string;
  /** ISO-8601. */
  at: string;
  from: RolloutSnapshot | null;
  to: RolloutSnapshot;
  reason: string | null;
  /** The guard's figures, for automatic rollbacks. */
  figures: GuardFigures | null;
}

/** An event before the store assigns its id. */
export type NewRolloutEvent = Omit<RolloutEvent, "id">;

/** The snapshot part of a state. */
export function snapshotOf(state: RolloutSnapshot): RolloutSnapshot {
  return { stable: state.stable, candidate: state.candidate, percent: state.percent, stage: state.stage };
}
