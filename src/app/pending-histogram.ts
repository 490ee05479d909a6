/**
 * A Prometheus histogram for hot paths. prom-client's `histogram.labels(…).observe(v)` validates and hashes
 * the label set, looks the series up by that hash and finds the bucket by a string property key on every
 * call: a few microseconds per HTTP answer. Here a child holds its series' counts in a typed array, so an
 * observation is a short loop over the bounds and three additions. The registry reads the series through
 * the same `get()` shape prom-client's Histogram answers (cumulative `_bucket` lines with `le`, `_sum`,
 * `_count`), so /metrics is unchanged.
 */
import type { LabelValues, Metric, MetricValueWithName, Registry } from "prom-client";

/** A histogram child: observes values of one label set. */
export interface HistogramChild {
  observe(value: number): void;
}

interface Series<L extends string> {
  labels: LabelValues<L>;
  /** Observations per bucket (not cumulative); the last slot is +Inf. */
  counts: Float64Array;
  sum: number;
  count: number;
}

/** What `get()` answers: prom-client's metric object (its typings say an enum for `type`; it reads the string). */
export interface HistogramSnapshot {
  name: string;
  help: string;
  type: "histogram";
  aggregator: "sum";
  values: MetricValueWithName<string>[];
}

/** Settings of a PendingHistogram. */
export interface PendingHistogramConfig {
  name: string;
  help: string;
  /** Upper bounds, ascending. */
  buckets: readonly number[];
  registers: readonly Registry[];
}

/** A histogram whose children observe into plain numbers; registered on `registers` like a prom-client metric. */
export class PendingHistogram<L extends string> {
  readonly name: string;
  readonly help: string;
  readonly type = "histogram";
  readonly aggregator = "sum";
  private readonly buckets: readonly number[];
  private readonly series: Series<L>[] = [];

  constructor(config: PendingHistogramConfig) {
    this.name = config.name;
    this.help = config.help;
    this.buckets = [...config.buckets];
    // The registry reads a metric through name, get() and reset(), which this class answers.
    for (const registry of config.registers) registry.registerMetric(this as unknown as Metric);
  }

  /** A new child for `labels` (create each label set once and keep it: every call adds a series). */
  child(labels: LabelValues<L>): HistogramChild {
    const entry: Series<L> = { labels, counts: new Float64Array(this.buckets.length + 1), sum: 0, count: 0 };
    this.series.push(entry);
    const bounds = this.buckets;
    return {
      observe(value) {
        let i = 0;
        while (i < bounds.length && value > (bounds[i] as number)) i++;
        entry.counts[i] = (entry.counts[i] as number) + 1;
        entry.sum += value;
        entry.count += 1;
      },
    };
  }

  /** The series as prom-client's Histogram answers them. */
  async get(): Promise<HistogramSnapshot> {
    const values: MetricValueWithName<string>[] = [];
    for (const { labels, counts, sum, count } of this.series) {
      let cumulative = 0;
      this.buckets.forEach((le, i) => {
        cumulative += counts[i] as number;
        values.push({ metricName: `${this.name}_bucket`, labels: { le, ...labels }, value: cumulative });
      });
      values.push({ metricName: `${this.name}_bucket`, labels: { le: "+Inf", ...labels }, value: count });
      values.push({ metricName: `${this.name}_sum`, labels: { ...labels }, value: sum });
      values.push({ metricName: `${this.name}_count`, labels: { ...labels }, value: count });
    }
    return { name: this.name, help: this.help, type: "histogram", values, aggregator: "sum" };
  }

  /** Zeroes every series (the children stay valid). */
  reset(): void {
    for (const entry of this.series) {
      entry.counts.fill(0);
      entry.sum = 0;
      entry.count = 0;
    }
  }
}
