/**
 * Metrics of the OpenAI client: requests by status, attempt latency, retries, timeouts, calls in flight,
 * breaker state per model, and the error-budget burn rate (failure ratio over the last window ÷ the
 * budget `1 − slo`: 1 means the budget is spent exactly as fast as it accrues).
 */
import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import type { BreakerStateName } from "./breakers.js";

/** The client's metric handles. */
export interface OpenAIMetrics {
  requests: Counter<"status">;
  latencyMs: Histogram<"status">;
  retries: Counter<string>;
  timeouts: Counter<string>;
  inflight: Gauge<string>;
  breakerState: Gauge<"model">;
  /** Records one attempt's outcome for the burn rate. */
  recordOutcome(failed: boolean, nowMs: number): void;
}

const BREAKER_VALUES: Record<BreakerStateName, number> = { closed: 0, half_open: 1, open: 2 };

/** Sets a model's breaker gauge. */
export function setBreakerState(metrics: OpenAIMetrics, model: string, state: BreakerStateName): void {
  metrics.breakerState.set({ model }, BREAKER_VALUES[state]);
}

/** Registers the metrics on `registry` (a fresh private one when none is given). */
export function createOpenAIMetrics(registry: Registry | undefined, sloTarget: number): OpenAIMetrics {
  const registers = registry === undefined ? [] : [registry];
  const window = new BurnWindow(5 * 60_000, 30);
  new Gauge({
    name: "openai_error_budget_burn_rate",
    help: `Upstream failure ratio over the last 5 minutes ÷ the error budget (1 − ${sloTarget}).`,
    registers,
    collect() {
      this.set(window.failureRatio(Date.now()) / (1 - sloTarget));
    },
  });
  return {
    requests: new Counter({
      name: "openai_requests_total",
      help: "Upstream attempts by HTTP status (or timeout, network, breaker_open, shed).",
      labelNames: ["status"],
      registers,
    }),
    latencyMs: new Histogram({
      name: "openai_request_latency_ms",
      help: "Latency of one upstream attempt, milliseconds, by status.",
      labelNames: ["status"],
      buckets: [25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 20_000, 30_000],
      registers,
    }),
    retries: new Counter({
      name: "openai_retries_total",
      help: "Upstream attempts that were retries.",
      registers,
    }),
    timeouts: new Counter({
      name: "openai_timeout_total",
      help: "Attempts cut by the per-attempt timeout or the call's budget.",
      registers,
    }),
    inflight: new Gauge({
      name: "openai_inflight",
      help: "Generate calls holding an in-flight permit.",
      registers,
    }),
    breakerState: new Gauge({
      name: "openai_breaker_state",
      help: "Circuit breaker state per model: 0 closed, 1 half-open, 2 open.",
      labelNames: ["model"],
      registers,
    }),
    recordOutcome: (failed, nowMs) => window.record(failed, nowMs),
  };
}

/** Failures and totals in rotating buckets over a fixed window. */
class BurnWindow {
  private readonly failures: number[];
  private readonly totals: number[];
  private readonly bucketMs: number;
  private current = 0;
  private currentStart = 0;

  constructor(windowMs: number, buckets: number) {
    this.bucketMs = windowMs / buckets;
    this.failures = new Array<number>(buckets).fill(0);
    this.totals = new Array<number>(buckets).fill(0);
  }

  record(failed: boolean, now: number): void {
    this.advance(now);
    this.totals[this.current] = (this.totals[this.current] ?? 0) + 1;
    if (failed) this.failures[this.current] = (this.failures[this.current] ?? 0) + 1;
  }

  failureRatio(now: number): number {
    this.advance(now);
    const total = this.totals.reduce((a, b) => a + b, 0);
    return total === 0 ? 0 : this.failures.reduce((a, b) => a + b, 0) / total;
  }

  private advance(now: number): void {
    const steps = Math.floor((now - this.currentStart) / this.bucketMs);
    if (steps <= 0) return;
    for (let i = 0; i < Math.min(steps, this.totals.length); i++) {
      this.current = (this.current + 1) % this.totals.length;
      this.totals[this.current] = 0;
      this.failures[this.current] = 0;
    }
    this.currentStart = steps >= this.totals.length ? now : this.currentStart + steps * this.bucketMs;
  }
}
