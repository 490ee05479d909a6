import type { GuardFigures, RolloutEvent, RolloutState } from "../core/rollout/model.js";
import type { RolloutChange, SetRolloutInput } from "../core/rollout/transitions.js";
import type { Resolution, SourceVersion } from "./validation-types.js";

/**
 * Durable rollout state and audit history. `update` is atomic and serialised per subject (also across
 * processes sharing a database): it reads the current state, calls `plan`, and writes the planned state and
 * its audit event together, or nothing when `plan` throws.
 */
export interface RolloutStore {
  get(subject: string): Promise<RolloutState | undefined>;
  /** Every subject's state (for start-up and the polling fallback). */
  list(): Promise<RolloutState[]>;
  /** Applies a planned change (embedded mode: the flag is local, published after commit). */
  update(subject: string, plan: (current: RolloutState | undefined) => RolloutChange): Promise<RolloutChange>;
  /**
   * First step of a change that LaunchDarkly must take too: plans it under the subject's lock and records it
   * as the subject's intent, without changing the state. Throws SR_ROLLOUT_CONFLICT while another intent of
   * the subject younger than `leaseMs` is pending; an older one (its process died or lost the database) is
   * replaced.
   */
  propose(
    subject: string,
    plan: (current: RolloutState | undefined) => RolloutChange,
    options: { token: string; leaseMs: number },
  ): Promise<RolloutIntent>;
  /** Commits a proposed change (state, audit event, notification) and drops the intent; SR_ROLLOUT_CONFLICT when it was replaced. */
  confirm(intent: RolloutIntent): Promise<RolloutChange>;
  /** Drops an intent that will not be committed (no-op when it is gone or was replaced). */
  abandon(intent: RolloutIntent): Promise<void>;
  /** Intents pending for longer than `leaseMs`: left by a crash or a failed commit, to reconcile. */
  staleIntents(leaseMs: number): Promise<RolloutIntent[]>;
  /** Audit events of a subject, newest first. */
  history(subject: string, options: { limit: number; before?: number }): Promise<RolloutEvent[]>;
  close(): Promise<void>;
}

/** `details.reason` of the SR_ROLLOUT_CONFLICT saying another change of the subject is still pending. */
export const CHANGE_IN_PROGRESS = "change-in-progress";

/** A change proposed to LaunchDarkly and not yet committed to the store. */
export interface RolloutIntent {
  /** Unique per proposal: a replaced intent is told apart from its successor. */
  token: string;
  change: RolloutChange;
  /** The committed state the change replaces: what LaunchDarkly is set back to when the change fails. */
  previous: RolloutState | undefined;
}

/** Tells this process that another one changed a subject's rollout (LISTEN/NOTIFY, polling). */
export interface RolloutChangeFeed {
  /** Starts delivering subject names whose rollout may have changed; returns a stop function. */
  subscribe(listener: (subject: string) => void): void;
  /** Compares every subject's revision with the store now and reports the changed ones (polling feeds). */
  resync?(): Promise<void>;
  /** Whether a push connection (LISTEN) is up; absent on feeds without one. */
  listening?(): boolean;
  close(): Promise<void>;
}

/** A rollout decision: the version served and why. */
export interface RolloutDecision {
  version: number;
  resolution: Resolution;
}

/**
 * Where the LaunchDarkly server SDK gets its flags and how they change. Embedded: TestData fed from the
 * store (`publish` is local and immediate). LaunchDarkly: streamed from LaunchDarkly (`publish` patches the
 * flag through the REST API, or refuses without an API token).
 */
export interface FlagSource {
  readonly mode: "embedded" | "launchdarkly";
  /**
   * The SDK's remembered answers for one subject's flag, by context key (synchronous: `get(key)` undefined
   * means call `variation`). The same Map for the source's lifetime (emptied, never replaced, when the flag
   * changes), so a caller may hold it.
   */
  memo(subject: string): ReadonlyMap<string, number>;
  /**
   * The version the subject's flag serves `key`; `fallback` when the flag is unknown or unreachable.
   * `fallbackIsStable`: `fallback` is the stable version of a stored rollout (default true). While LaunchDarkly's
   * stream is interrupted such a subject gets `fallback`; a subject without one keeps the SDK's last known flag.
   */
  variation(subject: string, key: string, fallback: number, fallbackIsStable?: boolean): Promise<number>;
  /** Makes the SDK serve `state` (embedded: after commit; LaunchDarkly: between propose and confirm). */
  publish(state: RolloutState): Promise<void>;
  /** Whether the SDK has flags to evaluate (false means every decision is the fallback). */
  ready(): boolean;
  /** Resolves once the SDK is ready or gave up waiting (never rejects). */
  whenReady(): Promise<void>;
  close(): Promise<void>;
}

/** A rollout as the API shows it: the stored state, or the default of a subject without one. */
export interface RolloutView extends RolloutState {
  /** The flag key of the subject. */
  flagKey: string;
  /** False when the subject has no stored rollout (the view is the default; revision 0). */
  configured: boolean;
  mode: "embedded" | "launchdarkly";
}

/** Who asks for a change: a token name, "cli" or "system". */
export type Actor = string;

/** Rollout use cases. Refusals are StructregError with stable codes. */
export interface RolloutService {
  /** The subject's rollout (a default view when none is stored); SR_SUBJECT_NOT_FOUND for unknown subjects. */
  get(subject: string): Promise<RolloutView>;
  /** Sets candidate / percent / stage / guard settings (refusing invalid, incompatible or stale changes). */
  set(subject: string, input: SetRolloutInput, who: Actor): Promise<RolloutView>;
  promote(
    subject: string,
    who: Actor,
    options?: { reason?: string; revision?: number },
  ): Promise<RolloutView>;
  /** Every caller back on stable. No arguments needed; never refused while the store answers. */
  rollback(subject: string, who: Actor, options?: { reason?: string }): Promise<RolloutView>;
  pause(subject: string, who: Actor, options?: { reason?: string; revision?: number }): Promise<RolloutView>;
  /** The guard's rollback, with its figures in the audit event. */
  autoRollback(subject: string, figures: GuardFigures, reason: string): Promise<RolloutView>;
  history(subject: string, options?: { limit?: number; before?: number }): Promise<RolloutEvent[]>;
  /** validate-and-parse's `resolveTarget`: the version for `key` among the subject's live versions. */
  decide(
    subject: string,
    key: string,
    live: readonly SourceVersion[],
  ): RolloutDecision | Promise<RolloutDecision>;
  /** The cached state the hot path uses (undefined: no rollout for the subject). */
  current(subject: string): RolloutState | undefined;
  /** Every cached state (for metrics). */
  states(): RolloutState[];
  /** Loads every state into the SDK; call once before serving. */
  start(): Promise<void>;
  close(): Promise<void>;
}
