import { randomUUID } from "node:crypto";
import { isStructregError } from "../core/errors.js";
import type { RolloutState } from "../core/rollout/model.js";
import type { RolloutChange } from "../core/rollout/transitions.js";
import {
  CHANGE_IN_PROGRESS,
  type FlagSource,
  type RolloutIntent,
  type RolloutStore,
} from "./rollout-types.js";

/** What changes in LaunchDarkly mode are applied with. */
export interface RemoteChangeDeps {
  store: RolloutStore;
  flags: FlagSource;
  /**
   * How long a proposed change may take before another may replace it (default 60 s: well past the REST
   * client's two 10 s calls and the 5 s wait for the stream).
   */
  leaseMs?: number;
  /** Longest wait for another pending change of the same subject to settle (default 15 s). */
  waitMs?: number;
  /** First delay before settling an intent left by a failure again (default 1 s, doubling up to 30 s). */
  retryMs?: number;
}

/** Applies rollout changes to LaunchDarkly and the store; see `createRemoteChanges`. */
export interface RemoteChanges {
  apply(subject: string, plan: (current: RolloutState | undefined) => RolloutChange): Promise<RolloutChange>;
  /** Settles intents older than the lease (left by a process that died between its steps). */
  reconcile(): Promise<void>;
  close(): void;
}

/**
 * Changes that LaunchDarkly must take too, with no database transaction open across a network call:
 * (1) plan under the subject's lock and record the change as an intent, (2) PATCH LaunchDarkly, (3) commit the
 * change and drop the intent. When (2) fails, LaunchDarkly is set back to the committed state and the intent
 * dropped. When (3) fails it is unknown whether the commit landed; the intent says it did not (the commit
 * drops it), so the intent is settled once the store answers again: LaunchDarkly is set to whatever the store
 * holds. Until then the store keeps the intent, so the disagreement is recorded, never silent.
 */
export function createRemoteChanges(deps: RemoteChangeDeps): RemoteChanges {
  const { store, flags } = deps;
  const leaseMs = deps.leaseMs ?? 60_000;
  const waitMs = deps.waitMs ?? 15_000;
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;

  async function propose(subject: string, plan: (current: RolloutState | undefined) => RolloutChange) {
    const deadline = Date.now() + waitMs;
    for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
      try {
        return await store.propose(subject, plan, { token: randomUUID(), leaseMs });
      } catch (err) {
        if (!isInProgress(err) || Date.now() + delay > deadline) throw err;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  /** Makes LaunchDarkly serve the store's committed state and drops the intent; throws to be retried. */
  async function settle(intent: RolloutIntent): Promise<void> {
    const subject = intent.change.state.subject;
    const pending = (await store.staleIntents(0)).some((i) => i.token === intent.token);
    // Gone: committed (LaunchDarkly already serves it) or replaced by a later change that owns the flag now.
    if (!pending) return;
    await flags.publish(restoring(intent, await store.get(subject)));
    await store.abandon(intent);
  }

  /**
   * Settles in the background, backing off, until it works, the service closes or the attempts run out (the
   * intent then stays recorded, and `reconcile` at the next start settles it).
   */
  function settleLater(intent: RolloutIntent, delay = deps.retryMs ?? 1000, attempt = 1): void {
    if (closed || attempt > SETTLE_ATTEMPTS) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      settle(intent).catch(() =>
        settleLater(intent, Math.min(Math.max(delay, 100) * 2, 30_000), attempt + 1),
      );
    }, delay);
    timer.unref();
    timers.add(timer);
  }

  /**
   * After a failed PATCH (which may still have landed, e.g. on a timeout): LaunchDarkly back to the state the
   * change replaced, then the intent dropped. A refusal without a REST client changed nothing remotely.
   */
  async function undo(intent: RolloutIntent, failure: unknown): Promise<void> {
    try {
      const certain = isStructregError(failure) && failure.code === "SR_ROLLOUT_FLAG_READ_ONLY";
      if (!certain) await flags.publish(restoring(intent, intent.previous));
      await store.abandon(intent);
    } catch {
      settleLater(intent);
    }
  }

  return {
    async apply(subject, plan) {
      const intent = await propose(subject, plan);
      try {
        await flags.publish(intent.change.state);
      } catch (err) {
        await undo(intent, err);
        throw err;
      }
      try {
        return await store.confirm(intent);
      } catch (err) {
        // A replaced intent belongs to the later change, which owns the flag: leave both alone.
        if (!isStructregError(err) || err.code !== "SR_ROLLOUT_CONFLICT") settleLater(intent, 0);
        throw err;
      }
    },
    async reconcile() {
      for (const intent of await store.staleIntents(leaseMs)) {
        await settle(intent).catch(() => settleLater(intent));
      }
    },
    close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}

const SETTLE_ATTEMPTS = 30;

/**
 * The state LaunchDarkly is set back to: the committed one, or, when the subject had none, its stable version
 * for everyone (what structreg would have served without a rollout).
 */
function restoring(intent: RolloutIntent, committed: RolloutState | undefined): RolloutState {
  return committed ?? { ...intent.change.state, candidate: null, percent: 0, stage: "idle" };
}

function isInProgress(err: unknown): boolean {
  return (
    isStructregError(err) && err.code === "SR_ROLLOUT_CONFLICT" && err.details?.reason === CHANGE_IN_PROGRESS
  );
}
