/**
 * Bounds console sign-in attempts, per client address and for everyone, so tokens cannot be guessed at
 * speed. Token buckets: each address may try `perAddress` times, refilled over `windowMs`; all addresses
 * together `global` times. Sized state: at most `maxAddresses` buckets (the least recently used dropped first;
 * the global bucket still bounds what a flood of addresses can try).
 */
import { StructregError } from "../core/errors.js";

/** Limits of sign-in attempts. */
export interface SignInLimits {
  perAddress: number;
  global: number;
  windowMs: number;
  maxAddresses: number;
}

/** 10 attempts a minute per address, 100 a minute in all, 10,000 addresses remembered. */
export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = {
  perAddress: 10,
  global: 100,
  windowMs: 60_000,
  maxAddresses: 10_000,
};

interface Bucket {
  tokens: number;
  at: number;
}

/** Sign-in attempts allowed per address and globally; `take` throws SR_SIGNIN_THROTTLED past the limit. */
export class SignInLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly everyone: Bucket;

  constructor(
    private readonly limits: SignInLimits = DEFAULT_SIGN_IN_LIMITS,
    private readonly nowMs: () => number = Date.now,
  ) {
    this.everyone = { tokens: limits.global, at: nowMs() };
  }

  /** Addresses remembered now (for tests: the map stays within `maxAddresses`). */
  get size(): number {
    return this.buckets.size;
  }

  /** Counts one attempt from `address`; throws SR_SIGNIN_THROTTLED (with retryAfterMs) when none is left. */
  take(address: string): void {
    const now = this.nowMs();
    const own = this.bucketOf(address, now);
    refill(own, this.limits.perAddress, this.limits, now);
    refill(this.everyone, this.limits.global, this.limits, now);
    if (own.tokens < 1) throw throttled("this address", own, this.limits.perAddress, this.limits);
    if (this.everyone.tokens < 1) throw throttled("everyone", this.everyone, this.limits.global, this.limits);
    own.tokens -= 1;
    this.everyone.tokens -= 1;
  }

  private bucketOf(address: string, now: number): Bucket {
    let bucket = this.buckets.get(address);
    if (bucket === undefined) {
      if (this.buckets.size >= this.limits.maxAddresses) {
        this.buckets.delete(this.buckets.keys().next().value as string);
      }
      bucket = { tokens: this.limits.perAddress, at: now };
    } else {
      // Re-inserted: the map's order is least recently used first.
      this.buckets.delete(address);
    }
    this.buckets.set(address, bucket);
    return bucket;
  }
}

function refill(bucket: Bucket, capacity: number, limits: SignInLimits, now: number): void {
  const earned = ((now - bucket.at) / limits.windowMs) * capacity;
  bucket.tokens = Math.min(capacity, bucket.tokens + Math.max(0, earned));
  bucket.at = now;
}

function throttled(who: string, bucket: Bucket, capacity: number, limits: SignInLimits): StructregError {
  const retryAfterMs = Math.ceil(((1 - bucket.tokens) / capacity) * limits.windowMs);
  return new StructregError("SR_SIGNIN_THROTTLED", `Too many sign-in attempts from ${who}`, {
    hint: `wait ${Math.max(1, Math.ceil(retryAfterMs / 1000))} s, then sign in again`,
    details: { retryAfterMs },
  });
}
