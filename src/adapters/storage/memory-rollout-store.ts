import type { RolloutIntent, RolloutStore } from "../../app/rollout-types.js";
import type { RolloutEvent, RolloutState } from "../../core/rollout/model.js";
import type { RolloutChange } from "../../core/rollout/transitions.js";
import { createSerialQueue } from "./sql-client.js";
import { changeInProgress, replacedIntent } from "./store-errors.js";

/** RolloutStore in memory (tests, the offline CLI). Changes are serialised like the SQL store's. */
export function createMemoryRolloutStore(): RolloutStore {
  return new MemoryRolloutStore();
}

class MemoryRolloutStore implements RolloutStore {
  private readonly states = new Map<string, RolloutState>();
  private readonly events: RolloutEvent[] = [];
  private readonly intents = new Map<string, { intent: RolloutIntent; at: number }>();
  private readonly queue = createSerialQueue();

  async get(subject: string): Promise<RolloutState | undefined> {
    return clone(this.states.get(subject));
  }

  async list(): Promise<RolloutState[]> {
    return [...this.states.values()]
      .sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0))
      .map((s) => clone(s) as RolloutState);
  }

  update(
    subject: string,
    plan: (current: RolloutState | undefined) => RolloutChange,
  ): Promise<RolloutChange> {
    return this.queue.run(async () => {
      const change = plan(clone(this.states.get(subject)));
      this.commit(change);
      return change;
    });
  }

  propose(
    subject: string,
    plan: (current: RolloutState | undefined) => RolloutChange,
    options: { token: string; leaseMs: number },
  ): Promise<RolloutIntent> {
    return this.queue.run(async () => {
      const pending = this.intents.get(subject);
      if (pending !== undefined && Date.now() - pending.at < options.leaseMs) throw changeInProgress(subject);
      const previous = clone(this.states.get(subject));
      const intent: RolloutIntent = { token: options.token, change: plan(clone(previous)), previous };
      this.intents.set(subject, { intent: clone(intent), at: Date.now() });
      return intent;
    });
  }

  confirm(intent: RolloutIntent): Promise<RolloutChange> {
    return this.queue.run(async () => {
      if (!this.drop(intent)) throw replacedIntent(intent.change.state.subject);
      this.commit(intent.change);
      return intent.change;
    });
  }

  abandon(intent: RolloutIntent): Promise<void> {
    return this.queue.run(async () => {
      this.drop(intent);
    });
  }

  async staleIntents(leaseMs: number): Promise<RolloutIntent[]> {
    return [...this.intents.values()].filter((p) => Date.now() - p.at >= leaseMs).map((p) => clone(p.intent));
  }

  private drop(intent: RolloutIntent): boolean {
    const subject = intent.change.state.subject;
    if (this.intents.get(subject)?.intent.token !== intent.token) return false;
    this.intents.delete(subject);
    return true;
  }

  private commit(change: RolloutChange): void {
    this.states.set(change.state.subject, clone(change.state) as RolloutState);
    this.events.push({ id: this.events.length + 1, ...clone(change.event) });
  }

  async history(subject: string, options: { limit: number; before?: number }): Promise<RolloutEvent[]> {
    const before = options.before ?? Number.POSITIVE_INFINITY;
    return this.events
      .filter((e) => e.subject === subject && e.id < before)
      .reverse()
      .slice(0, options.limit)
      .map((e) => clone(e));
  }

  async close(): Promise<void> {}
}

// Callers must not be able to change stored values through the objects they get or give.
function clone<T>(value: T): T {
  return value === undefined ? value : structuredClone(value);
}
