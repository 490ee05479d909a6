/**
 * Idempotency of generate calls: within the window, the same key makes one upstream call and every
 * caller (also a concurrent duplicate) gets the same answer. Only answers are kept: a call that threw
 * (shed, breaker open, timeout) is forgotten as soon as it settles, so retrying with the same key works.
 * The same key with a different request is a conflict, as with Stripe's Idempotency-Key.
 */
import { StructregError } from "../core/errors.js";

interface Entry<T> {
  fingerprint: string;
  promise: Promise<T>;
  /** Set when the answer arrives; pending entries never expire. */
  expiresAt: number;
}

/** Keys kept at most; the oldest answers are dropped first (bounded memory under unique keys). */
export const DEFAULT_MAX_IDEMPOTENCY_KEYS = 10_000;

/** An idempotency window over keyed async tasks. */
export class IdempotencyWindow<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number,
    private readonly maxKeys = DEFAULT_MAX_IDEMPOTENCY_KEYS,
  ) {}

  /** Runs `task` once per key within the window; `replayed` is true for every caller but the first. */
  async run(
    key: string,
    fingerprint: string,
    task: () => Promise<T>,
  ): Promise<{ value: T; replayed: boolean }> {
    const known = this.live(key);
    if (known !== undefined) {
      if (known.fingerprint !== fingerprint) {
        throw new StructregError(
          "SR_IDEMPOTENCY_CONFLICT",
          "idempotencyKey was already used with a different request",
          {
            hint: "use a new idempotencyKey for a different request",
          },
        );
      }
      return { value: await known.promise, replayed: true };
    }
    const entry: Entry<T> = { fingerprint, promise: task(), expiresAt: Number.POSITIVE_INFINITY };
    this.insert(key, entry);
    try {
      const value = await entry.promise;
      entry.expiresAt = this.now() + this.windowMs;
      return { value, replayed: false };
    } catch (err) {
      if (this.entries.get(key) === entry) this.entries.delete(key);
      throw err;
    }
  }

  /** Keys currently held (answers and calls in flight). */
  get size(): number {
    return this.entries.size;
  }

  private live(key: string): Entry<T> | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined || entry.expiresAt > this.now()) return entry;
    this.entries.delete(key);
    return undefined;
  }

  private insert(key: string, entry: Entry<T>): void {
    if (this.entries.size >= this.maxKeys) this.evict();
    this.entries.set(key, entry);
  }

  /** Drops expired answers, then (still full) the oldest settled answer. */
  private evict(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
    if (this.entries.size < this.maxKeys) return;
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt !== Number.POSITIVE_INFINITY) {
        this.entries.delete(key);
        return;
      }
    }
  }
}
