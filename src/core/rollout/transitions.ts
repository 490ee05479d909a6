import { StructregError } from "../errors.js";
import {
  DEFAULT_GUARD,
  type GuardFigures,
  type GuardSettings,
  type NewRolloutEvent,
  type RolloutAction,
  type RolloutState,
  snapshotOf,
} from "./model.js";

/** What `rollout set` asks for; absent fields keep their current value. */
export interface SetRolloutInput {
  candidate?: number;
  percent?: number;
  stage?: "shadow" | "ramping";
  /** Explicit stable version (default: the current stable, else the latest ENABLED version below the candidate). */
  stable?: number;
  guard?: Partial<GuardSettings>;
  reason?: string;
  /** Revision the caller read; a different current revision is a conflict. */
  revision?: number;
}

/** Options of promote, pause and rollback. */
export interface ChangeOptions {
  reason?: string;
  revision?: number;
}

/** Who changes the state and when, and the stable version a subject without a state starts from. */
export interface ChangeContext {
  who: string;
  /** ISO-8601. */
  at: string;
  /** Stable version for a subject with no state yet (the app layer picks it). */
  defaultStable: number;
}

/** A planned change: the next state and its audit event (the store writes both, or neither). */
export interface RolloutChange {
  state: RolloutState;
  event: NewRolloutEvent;
}

/** Plans `rollout set`: a candidate, a percentage, a stage and guard settings. */
export function planSet(
  current: RolloutState | undefined,
  subject: string,
  input: SetRolloutInput,
  ctx: ChangeContext,
): RolloutChange {
  checkRevision(current, input.revision);
  const candidate = input.candidate ?? current?.candidate ?? null;
  if (candidate === null) {
    throw new StructregError("SR_ROLLOUT_NO_CANDIDATE", `Subject ${subject} has no rollout candidate`, {
      hint: "name one: structreg rollout set <subject> --candidate <version> --percent <p>",
    });
  }
  const stable = input.stable ?? current?.stable ?? ctx.defaultStable;
  if (candidate === stable) {
    throw new StructregError("SR_ROLLOUT_INVALID", `Version ${candidate} is already the stable version`, {
      details: { candidate, stable },
      hint: "pick a newer version as the candidate",
    });
  }
  const stage = input.stage ?? (current?.stage === "shadow" ? "shadow" : "ramping");
  const percent = checkPercent(input.percent ?? (stage === "shadow" ? 0 : (current?.percent ?? 0)));
  if (stage === "shadow" && percent !== 0) {
    throw new StructregError("SR_ROLLOUT_INVALID", "In the shadow stage every caller gets stable", {
      details: { percent },
      hint: "omit --percent (or use 0) with --stage shadow, or use --stage ramping",
    });
  }
  const guard = mergeGuard(current?.guard ?? DEFAULT_GUARD, input.guard ?? {});
  const next = nextState(current, subject, { stable, candidate, percent, stage }, guard, ctx);
  return { state: next, event: eventFor("set", current, next, input.reason, null) };
}

/** Plans `rollout promote`: the candidate becomes stable for every caller. */
export function planPromote(
  current: RolloutState | undefined,
  subject: string,
  options: ChangeOptions,
  ctx: ChangeContext,
): RolloutChange {
  checkRevision(current, options.revision);
  const candidate = current?.candidate ?? null;
  // A rolled-back or paused candidate can still be promoted deliberately: it is kept in the state for that.
  if (current === undefined || candidate === null) {
    throw new StructregError("SR_ROLLOUT_NO_CANDIDATE", `Subject ${subject} has no candidate to promote`, {
      hint: "start a rollout first: structreg rollout set <subject> --candidate <version> --percent <p>",
    });
  }
  const snapshot = { stable: candidate, candidate: null, percent: 0, stage: "promoted" } as const;
  const next = nextState(current, subject, snapshot, current.guard, ctx);
  return { state: next, event: eventFor("promote", current, next, options.reason, null) };
}

/**
 * Plans a rollback: every caller gets stable again. Never refused (no revision check, works without a
 * candidate too), so the 3 a.m. command cannot fail on anything but the store.
 */
export function planRollback(
  current: RolloutState | undefined,
  subject: string,
  options: { reason?: string; figures?: GuardFigures },
  ctx: ChangeContext,
): RolloutChange {
  const next = withoutTraffic(current, subject, "rolled_back", ctx);
  const action: RolloutAction = options.figures === undefined ? "rollback" : "auto_rollback";
  return { state: next, event: eventFor(action, current, next, options.reason, options.figures ?? null) };
}

/** Plans `rollout pause`: no caller gets the candidate, which is kept (resume with `set --percent`). */
export function planPause(
  current: RolloutState | undefined,
  subject: string,
  options: ChangeOptions,
  ctx: ChangeContext,
): RolloutChange {
  checkRevision(current, options.revision);
  const next = withoutTraffic(current, subject, "idle", ctx);
  return { state: next, event: eventFor("pause", current, next, options.reason, null) };
}

/** Checks a percentage: a finite number from 0 to 100, rounded to thousandths (the flag's resolution). */
export function checkPercent(percent: number): number {
  if (!Number.isFinite(percent) || percent < 0 || percent > 100) {
    throw new StructregError("SR_ROLLOUT_INVALID_PERCENT", `Percent must be from 0 to 100, got ${percent}`, {
      details: { percent },
      hint: "use a number such as 10 or 2.5",
    });
  }
  return Math.round(percent * 1000) / 1000;
}

/** Merges and checks guard settings. */
export function mergeGuard(current: GuardSettings, patch: Partial<GuardSettings>): GuardSettings {
  const guard = { ...current, ...definedOnly(patch) };
  const bad =
    !inRange(guard.thresholdPercent, 0, 100) ||
    !inRange(guard.shadowPercent, 0, 100) ||
    !Number.isInteger(guard.minSample) ||
    guard.minSample < 1 ||
    !Number.isInteger(guard.windowSeconds) ||
    guard.windowSeconds < 1 ||
    guard.windowSeconds > 86_400;
  if (bad) {
    throw new StructregError("SR_ROLLOUT_INVALID", "Guard settings are out of range", {
      details: { guard },
      hint: "thresholdPercent and shadowPercent 0–100, minSample ≥ 1, windowSeconds 1–86400",
    });
  }
  return guard;
}

function definedOnly(patch: Partial<GuardSettings>): Partial<GuardSettings> {
  const out: Partial<GuardSettings> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  }
  return out;
}

function inRange(value: number, min: number, max: number): boolean {
  return Number.isFinite(value) && value >= min && value <= max;
}

function checkRevision(current: RolloutState | undefined, expected: number | undefined): void {
  if (expected === undefined) return;
  const actual = current?.revision ?? 0;
  if (actual !== expected) {
    throw new StructregError(
      "SR_ROLLOUT_CONFLICT",
      `The rollout changed since it was read (revision ${actual}, not ${expected})`,
      { details: { expected, actual }, hint: "read the rollout again and retry" },
    );
  }
}

/** The next state with no caller on the candidate, which is kept (rollback and pause). */
function withoutTraffic(
  current: RolloutState | undefined,
  subject: string,
  stage: "rolled_back" | "idle",
  ctx: ChangeContext,
): RolloutState {
  const snapshot = {
    stable: current?.stable ?? ctx.defaultStable,
    candidate: current?.candidate ?? null,
    percent: 0,
    stage,
  };
  return nextState(current, subject, snapshot, current?.guard ?? { ...DEFAULT_GUARD }, ctx);
}

function nextState(
  current: RolloutState | undefined,
  subject: string,
  snapshot: Pick<RolloutState, "stable" | "candidate" | "percent" | "stage">,
  guard: GuardSettings,
  ctx: ChangeContext,
): RolloutState {
  return {
    subject,
    ...snapshot,
    guard,
    revision: (current?.revision ?? 0) + 1,
    updatedAt: ctx.at,
    updatedBy: ctx.who,
  };
}

function eventFor(
  action: RolloutAction,
  current: RolloutState | undefined,
  next: RolloutState,
  reason: string | undefined,
  figures: GuardFigures | null,
): NewRolloutEvent {
  return {
    subject: next.subject,
    revision: next.revision,
    action,
    who: next.updatedBy,
    at: next.updatedAt,
    from: current === undefined ? null : snapshotOf(current),
    to: snapshotOf(next),
    reason: reason ?? null,
    figures,
  };
}
