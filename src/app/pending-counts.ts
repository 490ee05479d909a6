/**
 * Counter children for hot paths. prom-client's `counter.labels(…).inc()` hashes the label object and
 * checks it against the label names on every call; on a request path that is a visible share of the work.
 * Here a child adds to a plain number, and the counts reach the prom-client Counter when it is collected
 * (every scrape of /metrics, every `get()`), so what a scrape shows is exact.
 */
import type { Counter, CounterConfiguration, LabelValues } from "prom-client";

/** A counter child: prom-client's own (`counter.labels(…)`) or a pending one, whose `inc()` is an addition. */
export interface CounterChild {
  inc(value?: number): void;
}

interface Series<L extends string> {
  labels: LabelValues<L>;
  pending: number;
}

/** The children of one Counter and what they have counted since the last collection. */
export class PendingCounts<L extends string> {
  private readonly series: Series<L>[] = [];

  /** A new child for `labels` (create each label set once and keep it: every call adds a series entry). */
  child(labels: LabelValues<L>): CounterChild {
    const entry: Series<L> = { labels, pending: 0 };
    this.series.push(entry);
    return {
      inc(value = 1) {
        entry.pending += value;
      },
    };
  }

  /** Hands every pending count to `counter`; called from the counter's `collect`. */
  flush(counter: Counter<L>): void {
    for (const entry of this.series) {
      if (entry.pending === 0) continue;
      const value = entry.pending;
      entry.pending = 0;
      counter.inc(entry.labels, value);
    }
  }
}

/** The `collect` option of a Counter fed by `pending`. */
export function collectPending<L extends string>(
  pending: PendingCounts<L>,
): NonNullable<CounterConfiguration<L>["collect"]> {
  return function collect(this: Counter<L>) {
    pending.flush(this);
  };
}
