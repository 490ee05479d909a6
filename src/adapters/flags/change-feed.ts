import pg from "pg";
import type { RolloutChangeFeed } from "../../app/rollout-types.js";
import { type PostgresLimits, pgClientConfig } from "../storage/pg.js";

/** Default polling period of the fallback: well inside the 2-second propagation promise. */
export const DEFAULT_POLL_MS = 1000;

/** What the polling feed compares: every subject's current revision. */
export type RevisionLister = () => Promise<Array<{ subject: string; revision: number }>>;

/**
 * Polls every subject's revision and reports the subjects whose revision changed since the last poll. Works
 * on any store (PGlite is single-process, PostgreSQL when notifications are lost). A failed poll is retried
 * at the next tick.
 */
export function createPollingChangeFeed(
  list: RevisionLister,
  intervalMs = DEFAULT_POLL_MS,
): RolloutChangeFeed {
  const seen = new Map<string, number>();
  const listeners: Array<(subject: string) => void> = [];
  let timer: NodeJS.Timeout | undefined;
  let polling = false;

  async function poll(): Promise<void> {
    if (polling) return;
    polling = true;
    try {
      for (const { subject, revision } of await list()) {
        if (seen.get(subject) === revision) continue;
        seen.set(subject, revision);
        for (const listener of listeners) listener(subject);
      }
    } catch {
      // store unreachable: the next tick tries again
    } finally {
      polling = false;
    }
  }

  return {
    subscribe(listener) {
      listeners.push(listener);
      if (timer === undefined) {
        timer = setInterval(() => void poll(), intervalMs);
        timer.unref();
      }
    },
    resync: poll,
    async close() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },
  };
}

/** Options of the PostgreSQL feed. */
export interface PgChangeFeedOptions {
  connectionString: string;
  channel: string;
  /** The polling fallback (always on: a notification sent while the listener reconnects is lost). */
  fallback: RolloutChangeFeed;
  /** First delay before reconnecting a lost listener (default 250 ms); doubles up to `maxReconnectMs`. */
  reconnectMs?: number;
  /** Longest delay between reconnection attempts (default 10 s). */
  maxReconnectMs?: number;
  /** Connection timeouts and keepalive (as the pool's). */
  limits?: Partial<PostgresLimits>;
}

/**
 * LISTEN on a dedicated PostgreSQL connection (a pooled one would be returned to the pool and stop hearing);
 * every notification payload is a subject. A lost connection (a restart, a network cut) is reconnected with
 * jittered exponential backoff; once listening again the fallback resyncs every revision at once, since
 * notifications sent while nobody listened are gone.
 */
export function createPgChangeFeed(options: PgChangeFeedOptions): RolloutChangeFeed {
  const listeners: Array<(subject: string) => void> = [];
  const firstDelay = options.reconnectMs ?? 250;
  const maxDelay = options.maxReconnectMs ?? 10_000;
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  let delay = firstDelay;

  async function connect(): Promise<void> {
    if (closed) return;
    const next = new pg.Client(pgClientConfig(options.connectionString, options.limits));
    next.on("notification", (msg) => {
      if (msg.channel !== options.channel || msg.payload === undefined) return;
      for (const listener of listeners) listener(msg.payload);
    });
    next.on("error", () => reconnect(next));
    next.on("end", () => reconnect(next));
    try {
      await next.connect();
      await next.query(`LISTEN ${pg.escapeIdentifier(options.channel)}`);
    } catch {
      reconnect(next);
      return;
    }
    if (closed) {
      await next.end().catch(() => undefined);
      return;
    }
    client = next;
    delay = firstDelay;
    await options.fallback.resync?.();
  }

  function reconnect(lost: pg.Client): void {
    if (client === lost) client = undefined;
    lost.end().catch(() => undefined);
    if (closed || retry !== undefined) return;
    // Full jitter: many instances losing one database do not all come back in the same millisecond.
    const wait = Math.round(delay / 2 + Math.random() * (delay / 2));
    delay = Math.min(delay * 2, maxDelay);
    retry = setTimeout(() => {
      retry = undefined;
      void connect();
    }, wait);
    retry.unref();
  }

  return {
    subscribe(listener) {
      listeners.push(listener);
      options.fallback.subscribe(listener);
      if (listeners.length === 1) void connect();
    },
    /** Whether the LISTEN connection is up (for tests and diagnostics). */
    listening: () => client !== undefined,
    async close() {
      closed = true;
      if (retry !== undefined) clearTimeout(retry);
      await options.fallback.close();
      await client?.end().catch(() => undefined);
    },
  };
}
