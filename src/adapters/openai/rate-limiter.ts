/**
 * Client-side rate limiting by requests and estimated tokens per minute, so a burst slows down before
 * the provider starts answering 429. Two token buckets refilled continuously; a call reserves its cost
 * up front and waits out the deficit (reservations keep callers in arrival order). A call whose wait
 * would not fit its remaining budget reserves nothing and is refused at once.
 */

/** Estimated tokens of a request: characters ÷ 4, the usual rule of thumb for English and JSON. */
export function estimateTokens(characters: number): number {
  return Math.ceil(characters / 4);
}

class Bucket {
  private level: number;
  private updatedAt: number;

  constructor(
    private readonly perMinute: number,
    now: number,
  ) {
    this.level = perMinute;
    this.updatedAt = now;
  }

  /** Milliseconds until `cost` would be available (0 when it is now). */
  waitFor(cost: number, now: number): number {
    this.refill(now);
    const deficit = Math.min(cost, this.perMinute) - this.level;
    return deficit <= 0 ? 0 : (deficit * 60_000) / this.perMinute;
  }

  take(cost: number): void {
    this.level -= Math.min(cost, this.perMinute);
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.updatedAt);
    this.level = Math.min(this.perMinute, this.level + (elapsed * this.perMinute) / 60_000);
    this.updatedAt = now;
  }
}

/** Requests and tokens per minute; a limit of 0 is off. */
export class RateLimiter {
  private readonly requests: Bucket | undefined;
  private readonly tokens: Bucket | undefined;

  constructor(requestsPerMinute: number, tokensPerMinute: number, now: number) {
    this.requests = requestsPerMinute > 0 ? new Bucket(requestsPerMinute, now) : undefined;
    this.tokens = tokensPerMinute > 0 ? new Bucket(tokensPerMinute, now) : undefined;
  }

  /** True when neither limit is set. */
  get off(): boolean {
    return this.requests === undefined && this.tokens === undefined;
  }

  /**
   * Reserves one request of `tokens` and returns how long to wait before sending it, or `undefined`
   * (nothing reserved) when that wait exceeds `maxWaitMs`.
   */
  reserve(tokens: number, now: number, maxWaitMs: number): number | undefined {
    const wait = Math.max(this.requests?.waitFor(1, now) ?? 0, this.tokens?.waitFor(tokens, now) ?? 0);
    if (wait > maxWaitMs) return undefined;
    this.requests?.take(1);
    this.tokens?.take(tokens);
    return wait;
  }
}
