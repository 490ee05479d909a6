import { basicLogger, init, type LDClient, type LDLogger } from "@launchdarkly/node-server-sdk";
import type { FlagSource } from "../../app/rollout-types.js";
import { StructregError } from "../../core/errors.js";
import type { RolloutState } from "../../core/rollout/model.js";
import type { LdRestClient } from "./ld-rest.js";
import { flagKeys, memoBySubject, SdkDecider } from "./sdk-decider.js";
import { watchStream } from "./stream-health.js";

/** Options of LaunchDarkly mode. */
export interface LaunchDarklyFlagOptions {
  sdkKey: string;
  keyPrefix: string;
  /** Overrides of the SDK's endpoints (tests point them at local fakes). */
  streamUri?: string;
  baseUri?: string;
  eventsUri?: string;
  /** Changes flags through the REST API; without it, rollout commands refuse and say where to flip the flag. */
  rest?: LdRestClient;
  /** Where people change flags, for the read-only error (e.g. the project's flag list URL). */
  dashboardHint: string;
  logger?: LDLogger;
  initTimeoutSeconds?: number;
  /** First reconnect delay after the stream drops (the SDK's default is 1 s; tests shorten it). */
  streamReconnectDelaySeconds?: number;
  /** Longest wait, after a REST change, for the SDK's stream to deliver it (default 5 s). */
  propagationTimeoutMs?: number;
}

/**
 * Flags read by the LaunchDarkly server SDK from LaunchDarkly (streaming). Changes go through LaunchDarkly's
 * REST API (semantic patch); `publish` then waits until the SDK has received the new flag version, so once a
 * rollback returns this process no longer serves the candidate.
 *
 * While the stream is interrupted a subject with a stored rollout is answered its stable version, not the SDK's
 * last known flags: a rollback made in LaunchDarkly during the outage cannot reach this process, and stable is
 * the version every caller is known to handle. The candidate comes back with the next full data set the stream
 * delivers. A subject without a stored rollout (its flag managed only in LaunchDarkly) has no stable structreg
 * knows of, so it keeps the SDK's last known flag rather than jumping to the latest version.
 */
export function createLaunchDarklyFlagSource(options: LaunchDarklyFlagOptions): FlagSource {
  const stream = watchStream(options.logger ?? basicLogger({ level: "error" }));
  const client = initClient(options, stream.logger);
  // Unreachable: decisions are stable until the stream connects (the SDK keeps retrying).
  const initialized = client
    .waitForInitialization({ timeout: options.initTimeoutSeconds ?? 10 })
    .then(() => undefined)
    .catch(() => undefined);
  const decider = new SdkDecider(client, stream.delivering);
  // Remembered answers came from the flags before the change: interrupted, they must not be served; restored,
  // the new data set may differ.
  stream.onChange(() => decider.forget());
  const keyOf = flagKeys(options.keyPrefix);
  return {
    mode: "launchdarkly",
    memo: memoBySubject(decider, keyOf),
    variation: (subject, key, fallback, fallbackIsStable) =>
      decider.variation(keyOf(subject), key, fallback, fallbackIsStable),
    async publish(state: RolloutState) {
      const flagKey = keyOf(state.subject);
      if (options.rest === undefined) {
        throw new StructregError(
          "SR_ROLLOUT_FLAG_READ_ONLY",
          `Flags come from LaunchDarkly and no LD_API_TOKEN is set: change flag ${flagKey} in LaunchDarkly`,
          { details: { flagKey }, hint: options.dashboardHint },
        );
      }
      const updated = nextUpdate(client, flagKey, options.propagationTimeoutMs ?? 5000);
      await options.rest.applyRollout(flagKey, state, `structreg: ${state.stage} by ${state.updatedBy}`);
      await updated;
      decider.forget(flagKey);
    },
    ready: () => client.initialized() && stream.delivering(),
    whenReady: () => initialized,
    async close() {
      client.close();
    },
  };
}

/** The SDK client against LaunchDarkly (or the endpoints the options name), logging through `logger`. */
function initClient(options: LaunchDarklyFlagOptions, logger: LDLogger): LDClient {
  return init(options.sdkKey, {
    ...(options.streamUri === undefined ? {} : { streamUri: options.streamUri }),
    ...(options.baseUri === undefined ? {} : { baseUri: options.baseUri }),
    ...(options.eventsUri === undefined ? {} : { eventsUri: options.eventsUri }),
    // structreg records outcomes in its own metrics; no analytics events leave the process.
    sendEvents: false,
    diagnosticOptOut: true,
    logger,
    ...(options.streamReconnectDelaySeconds === undefined
      ? {}
      : { streamInitialReconnectDelay: options.streamReconnectDelaySeconds }),
  });
}

/** Resolves at the SDK's next update of `flagKey`, or after `timeoutMs` (a slow stream is not an error). */
function nextUpdate(client: LDClient, flagKey: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const event = `update:${flagKey}`;
    const done = () => {
      clearTimeout(timer);
      client.off(event, done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    timer.unref();
    client.on(event, done);
  });
}
