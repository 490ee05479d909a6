/**
 * "Validations in the last hour" from cumulative counters: snapshots of the totals, at most one a minute
 * and an hour's worth kept; the window's figure is the current total minus the snapshot that opens it.
 */
import type { ValidationTotals } from "./subject-summary.js";

type Totals = ReadonlyMap<string, ValidationTotals>;

/** Length of the window. */
export const RECENT_WINDOW_MS = 3_600_000;
const SNAPSHOT_EVERY_MS = 60_000;
const MAX_SNAPSHOTS = 62;

/** Keeps the snapshots; `sample` may be called on a timer and is called on every read. */
export function createRecentCounts(read: () => Promise<Totals>, nowMs: () => number = Date.now) {
  // The counters start at zero with the process: the first baseline is an empty snapshot.
  const snapshots: Array<{ at: number; totals: Totals }> = [{ at: nowMs(), totals: new Map() }];

  async function sample(): Promise<Totals> {
    const totals = await read();
    const at = nowMs();
    const last = snapshots[snapshots.length - 1];
    if (last === undefined || at - last.at >= SNAPSHOT_EVERY_MS) {
      snapshots.push({ at, totals });
      if (snapshots.length > MAX_SNAPSHOTS) snapshots.shift();
    }
    return totals;
  }

  return {
    sample,
    /** Totals since the window start (the newest snapshot at least an hour old, else the oldest kept). */
    async recent(): Promise<{ since: Date; totals: Map<string, ValidationTotals> }> {
      const current = await sample();
      const cutoff = nowMs() - RECENT_WINDOW_MS;
      let base = snapshots[0] ?? { at: nowMs(), totals: new Map() };
      for (const snapshot of snapshots) if (snapshot.at <= cutoff) base = snapshot;
      const totals = new Map<string, ValidationTotals>();
      for (const [subject, now] of current) {
        const before = base.totals.get(subject) ?? { total: 0, failed: 0 };
        totals.set(subject, { total: now.total - before.total, failed: now.failed - before.failed });
      }
      return { since: new Date(base.at), totals };
    },
  };
}
