import type { LDClient, LDContext } from "@launchdarkly/node-server-sdk";
import { flagKeyFor } from "../../core/rollout/flag.js";

/** Most keys remembered per flag before the memo starts over (bounds memory under random keys). */
const MEMO_LIMIT = 50_000;

/**
 * Asks the LaunchDarkly SDK which version a flag serves a context key, remembering its answers per flag.
 * An answer depends only on the flag's content and the key, so the memo is exact as long as it is dropped
 * whenever the flag changes: on the SDK's own `update` event and on every local publish. A lookup started
 * before a change never fills the memo after it (generation check). Answers given while the SDK has no
 * flags (the caller's default) are never remembered. While `delivering()` is false (LaunchDarkly's stream
 * is interrupted) nothing is remembered and a stable fallback is answered: the owner empties the memo when
 * that changes.
 */
export class SdkDecider {
  private readonly memo = new Map<string, Map<string, number>>();
  private generation = 0;

  constructor(
    private readonly client: LDClient,
    private readonly delivering: () => boolean = () => true,
  ) {
    client.on("update", (change: { key?: string }) => this.forget(change.key));
  }

  /** The SDK's remembered answer for `key`, or undefined (then ask `variation`). Synchronous: the hot path. */
  known(flagKey: string, key: string): number | undefined {
    return this.memoFor(flagKey).get(key);
  }

  /**
   * The variation of `flagKey` for `key`; `fallback` when the SDK cannot tell (never throws), and while the
   * flags are not delivered when `fallback` is stable (else the SDK's last known flag answers).
   */
  async variation(flagKey: string, key: string, fallback: number, fallbackIsStable = true): Promise<number> {
    const known = this.memo.get(flagKey)?.get(key);
    if (known !== undefined) return known;
    if (fallbackIsStable && !this.delivering()) return fallback;
    const started = this.generation;
    const context: LDContext = { kind: "user", key };
    let value: unknown;
    try {
      value = await this.client.variation(flagKey, context, fallback);
    } catch {
      return fallback;
    }
    if (typeof value !== "number" || !Number.isInteger(value)) return fallback;
    if (started === this.generation && this.client.initialized() && this.delivering()) {
      this.remember(flagKey, key, value);
    }
    return value;
  }

  /** Drops what is known of one flag (or of every flag). The maps are emptied, not replaced (see `memoFor`). */
  forget(flagKey?: string): void {
    this.generation += 1;
    if (flagKey === undefined) for (const keys of this.memo.values()) keys.clear();
    else this.memo.get(flagKey)?.clear();
  }

  /** The live memo of one flag: the same Map object for the decider's lifetime, so callers may hold it. */
  memoFor(flagKey: string): ReadonlyMap<string, number> {
    let keys = this.memo.get(flagKey);
    if (keys === undefined) {
      keys = new Map();
      this.memo.set(flagKey, keys);
    }
    return keys;
  }

  private remember(flagKey: string, key: string, value: number): void {
    const keys = this.memoFor(flagKey) as Map<string, number>;
    if (keys.size >= MEMO_LIMIT) keys.clear();
    keys.set(key, value);
  }
}

/** Subject → flag key, remembered so the hot path builds no string per call. */
export function flagKeys(prefix: string): (subject: string) => string {
  const keys = new Map<string, string>();
  return (subject) => {
    let key = keys.get(subject);
    if (key === undefined) {
      key = flagKeyFor(prefix, subject);
      if (keys.size < MEMO_LIMIT) keys.set(subject, key);
    }
    return key;
  };
}

/** `memo(subject)` over a decider: each subject's memo map, held so a lookup builds no flag key. */
export function memoBySubject(
  decider: SdkDecider,
  keyOf: (subject: string) => string,
): (subject: string) => ReadonlyMap<string, number> {
  const memos = new Map<string, ReadonlyMap<string, number>>();
  return (subject) => {
    let found = memos.get(subject);
    if (found === undefined) {
      found = decider.memoFor(keyOf(subject));
      if (memos.size < MEMO_LIMIT) memos.set(subject, found);
    }
    return found;
  };
}
