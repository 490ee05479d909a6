/**
 * One circuit breaker per model (a fallback model only helps if its breaker is separate), built on
 * cockatiel's CircuitBreakerPolicy with a SamplingBreaker: open when more than `threshold` of the attempts
 * in the sliding window failed, once the window holds at least `minCalls` attempts; after `cooldownMs`
 * one call probes (half-open) and closes or re-opens the breaker.
 *
 * cockatiel makes callers arriving during a probe wait for it; a waiting caller could then outlive its
 * budget, so `run` fails those fast instead (`open` is also reported while half-open).
 */
import {
  BrokenCircuitError,
  type CircuitBreakerPolicy,
  CircuitState,
  circuitBreaker,
  handleWhen,
  SamplingBreaker,
} from "cockatiel";

/** Breaker settings. */
export interface BreakerSettings {
  threshold: number;
  minCalls: number;
  windowMs: number;
  cooldownMs: number;
}

/** Breaker state as exported in metrics: 0 closed, 1 half-open, 2 open. */
export type BreakerStateName = "closed" | "half_open" | "open";

/** Thrown by `run` when the breaker refuses the call. */
export class BreakerOpen extends Error {
  constructor(
    readonly model: string,
    readonly retryAfterMs: number,
  ) {
    super(`circuit breaker for ${model} is open`);
    this.name = "BreakerOpen";
  }
}

/** Models beyond this share one breaker: model names come from requests and must not grow memory. */
const MAX_BREAKERS = 64;
const OVERFLOW = "(other)";

interface Entry {
  policy: CircuitBreakerPolicy;
  openedAt: number;
}

/** A breaker per model; `isFailure` decides which thrown errors count against it. */
export class Breakers {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly settings: BreakerSettings,
    private readonly isFailure: (err: unknown) => boolean,
    private readonly onState: (model: string, state: BreakerStateName) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Runs one upstream attempt through the model's breaker. */
  run<T>(model: string, attempt: () => Promise<T>): Promise<T> {
    const key = this.keyOf(model);
    const entry = this.entry(key);
    if (entry.policy.state === CircuitState.HalfOpen) {
      return Promise.reject(new BreakerOpen(model, this.settings.cooldownMs));
    }
    return entry.policy
      .execute(() => attempt())
      .catch((err: unknown) => {
        if (err instanceof BrokenCircuitError) {
          const left = entry.openedAt + this.settings.cooldownMs - this.now();
          throw new BreakerOpen(model, Math.max(0, left));
        }
        throw err;
      });
  }

  /** Current state of a model's breaker ("closed" for a model never called). */
  state(model: string): BreakerStateName {
    const entry = this.entries.get(this.keyOf(model));
    return entry === undefined ? "closed" : stateName(entry.policy.state);
  }

  private keyOf(model: string): string {
    return this.entries.has(model) || this.entries.size < MAX_BREAKERS - 1 ? model : OVERFLOW;
  }

  private entry(key: string): Entry {
    const known = this.entries.get(key);
    if (known !== undefined) return known;
    const { threshold, minCalls, windowMs, cooldownMs } = this.settings;
    const policy = circuitBreaker(handleWhen(this.isFailure), {
      halfOpenAfter: cooldownMs,
      // SamplingBreaker counts "at least minimumRps·window"; this makes that exactly minCalls per window.
      breaker: new SamplingBreaker({
        threshold,
        duration: windowMs,
        minimumRps: (minCalls * 1000) / windowMs,
      }),
    });
    const entry: Entry = { policy, openedAt: 0 };
    policy.onBreak(() => {
      entry.openedAt = this.now();
    });
    policy.onStateChange((state) => this.onState(key, stateName(state)));
    this.entries.set(key, entry);
    return entry;
  }
}

function stateName(state: CircuitState): BreakerStateName {
  if (state === CircuitState.Closed) return "closed";
  return state === CircuitState.HalfOpen ? "half_open" : "open";
}
