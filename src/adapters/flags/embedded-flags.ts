import { basicLogger, init, type LDClient, type LDLogger } from "@launchdarkly/node-server-sdk";
import { TestData } from "@launchdarkly/node-server-sdk/integrations";
import type { FlagSource } from "../../app/rollout-types.js";
import { buildFlag } from "../../core/rollout/flag.js";
import type { RolloutState } from "../../core/rollout/model.js";
import { flagKeys, memoBySubject, SdkDecider } from "./sdk-decider.js";

/** Options of the embedded flag source. */
export interface EmbeddedFlagOptions {
  keyPrefix: string;
  logger?: LDLogger;
  /** How long to wait for the SDK to take the TestData source (it is local: milliseconds). */
  initTimeoutSeconds?: number;
}

/** The SDK needs a non-empty key even when no request ever leaves the process. */
const EMBEDDED_SDK_KEY = "structreg-embedded";

/**
 * Flags built from structreg's own rollout state and fed to the LaunchDarkly server SDK through TestData
 * (`usePreconfiguredFlag` with the full flag JSON: the builder cannot express percentage rollouts). Never
 * `offline: true`, which ignores TestData and answers every evaluation with the default.
 */
export function createEmbeddedFlagSource(options: EmbeddedFlagOptions): FlagSource {
  const td = new TestData();
  const client: LDClient = init(EMBEDDED_SDK_KEY, {
    updateProcessor: td.getFactory(),
    sendEvents: false,
    diagnosticOptOut: true,
    logger: options.logger ?? basicLogger({ level: "error" }),
  });
  // Until it is ready every decision is stable (the caller's default): never an error for callers.
  const initialized = client
    .waitForInitialization({ timeout: options.initTimeoutSeconds ?? 5 })
    .then(() => undefined)
    .catch(() => undefined);
  const decider = new SdkDecider(client);
  const keyOf = flagKeys(options.keyPrefix);
  return {
    mode: "embedded",
    memo: memoBySubject(decider, keyOf),
    variation: (subject, key, fallback) => decider.variation(keyOf(subject), key, fallback),
    async publish(state: RolloutState) {
      const flag = buildFlag(state, options.keyPrefix);
      await td.usePreconfiguredFlag(flag);
      // The SDK's update event already dropped the memo; this covers a listener that ran late.
      decider.forget(flag.key);
    },
    ready: () => client.initialized(),
    whenReady: () => initialized,
    async close() {
      client.close();
    },
  };
}
