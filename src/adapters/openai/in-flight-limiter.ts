/**
 * In-flight limit with a bounded FIFO wait queue. A full queue rejects at once (the caller answers 503 with
 * Retry-After) instead of letting memory grow with the backlog.
 *
 * Our own rather than cockatiel's BulkheadPolicy: a cockatiel waiter whose caller gave up keeps its queue
 * slot until a permit frees and is then dropped without handing the permit on, and its wait cannot end
 * at the caller's deadline. Here a waiter leaves the queue the moment its signal aborts.
 */

interface Waiter {
  grant: () => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/** Why a permit was not granted. */
export type AcquireRefusal = "queue_full" | "aborted";

/** A counting semaphore with a bounded queue. */
export class InFlightLimiter {
  private active = 0;
  private readonly queue: Waiter[] = [];

  constructor(
    readonly limit: number,
    readonly maxQueue: number,
  ) {}

  /** Calls holding a permit. */
  get inFlight(): number {
    return this.active;
  }

  /** Calls waiting for one. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Resolves with a release function, or with the refusal (full queue, or the signal aborted first). */
  acquire(signal?: AbortSignal): Promise<(() => void) | AcquireRefusal> {
    if (signal?.aborted === true) return Promise.resolve("aborted");
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    if (this.queue.length >= this.maxQueue) return Promise.resolve("queue_full");
    return new Promise((resolve) => {
      const waiter: Waiter = {
        signal,
        grant: () => resolve(this.releaser()),
        onAbort: () => {
          const at = this.queue.indexOf(waiter);
          if (at >= 0) this.queue.splice(at, 1);
          resolve("aborted");
        },
      };
      signal?.addEventListener("abort", waiter.onAbort, { once: true });
      this.queue.push(waiter);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.queue.shift();
      if (next === undefined) {
        this.active--;
        return;
      }
      // The permit passes straight to the next waiter: `active` is unchanged.
      next.signal?.removeEventListener("abort", next.onAbort);
      next.grant();
    };
  }
}
