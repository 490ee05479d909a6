import type { RolloutStore } from "../../app/rollout-types.js";
import type { RolloutEvent, RolloutState } from "../../core/rollout/model.js";
import type { RolloutChange } from "../../core/rollout/transitions.js";
import { createSerialQueue } from "./sql-client.js";

/** RolloutStore in memory (tests, the offline CLI). Changes are serialised like the SQL store's. */
export function createMemoryRolloutStore(): RolloutStore {
  return new MemoryRolloutStore();
}

class MemoryRolloutStore implements RolloutStore {
  private readonly states = new Map<string, RolloutState>();
  private readonly events: RolloutEvent[] = [];
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
    beforeCommit?: (change: RolloutChange) => Promise<void>,
  ): Promise<RolloutChange> {
    return this.queue.run(async () => {
      const change = plan(clone(this.states.get(subject)));
      await beforeCommit?.(change);
      this.states.set(subject, clone(change.state) as RolloutState);
      this.events.push({ id: this.events.length + 1, ...clone(change.event) });
      return change;
    });
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
