import type { LDClient, LDContext } from "@launchdarkly/node-server-sdk";

/** Most keys remembered per flag before the memo starts over (bounds memory under random keys). */
const MEMO_LIMIT = 50_000;

/**
 * Asks the LaunchDarkly SDK which version a flag serves a context key, remembering its answers per flag.
 * An answer depends only on the flag's content and the key, so the memo is exact as long as it is dropped
 * whenever the flag changes: on the SDK's own `update` event and on every local publish. A lookup started
 * before a change never fills the memo after it (generation check). Answers given while the SDK has no
 * flags (the caller's default) are never remembered.
 */
export class SdkDecider {
  private readonly memo = new Map<string, Map<string, number>>();
  private generation = 0;

  constructor(private readonly client: LDClient) {
    client.on("update", (change: { key?: string }) => this.forget(change.key));
  }

  /** The variation of `flagKey` for `key`; `fallback` when the SDK cannot tell (never throws). */
  async variation(flagKey: string, key: string, fallback: number): Promise<number> {
    const known = this.memo.get(flagKey)?.get(key);
    if (known !== undefined) return known;
    const started = this.generation;
    const context: LDContext = { kind: "user", key };
    let value: unknown;
    try {
      value = await this.client.variation(flagKey, context, fallback);
    } catch {
      return fallback;
    }
    if (typeof value !== "number" || !Number.isInteger(value)) return fallback;
    if (started === this.generation && this.client.initialized()) this.remember(flagKey, key, value);
    return value;
  }

  /** Drops what is known of one flag (or of every flag). */
  forget(flagKey?: string): void {
    this.generation += 1;
    if (flagKey === undefined) this.memo.clear();
    else this.memo.delete(flagKey);
  }

  private remember(flagKey: string, key: string, value: number): void {
    let keys = this.memo.get(flagKey);
    if (keys === undefined) {
      keys = new Map();
      this.memo.set(flagKey, keys);
    } else if (keys.size >= MEMO_LIMIT) {
      keys.clear();
    }
    keys.set(key, value);
  }
}
