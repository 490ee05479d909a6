import type { LDLogger } from "@launchdarkly/node-server-sdk";

/**
 * Whether the LaunchDarkly SDK's stream is delivering flags right now.
 *
 * The Node server SDK 9 has no data source status API (its FDv1 streaming processor reports a dropped or
 * refused stream only through its logger, and keeps serving the last flags it received). structreg serves
 * stable while the stream is interrupted, so it reads the SDK's own log lines through a wrapping logger:
 * - interrupted: a stream failure ("Received … for streaming request - will retry" / "- giving up
 *   permanently") or a scheduled reconnect ("Will retry stream connection in … milliseconds");
 * - delivering again: a full data set arrived ("Received put event", logged at debug before the SDK
 *   stores it).
 * The test with the fake LaunchDarkly (stream dropped and restored) fails if an SDK upgrade rewords them.
 */
export interface StreamHealth {
  /** The logger to hand the SDK; it forwards every line to the inner logger. */
  readonly logger: LDLogger;
  /** False from a stream failure until the next full data set. */
  delivering(): boolean;
  /** Called on every change of `delivering()`. */
  onChange(listener: (delivering: boolean) => void): void;
}

const INTERRUPTED = [/for streaming request - /, /^Will retry stream connection/];
const DELIVERING = /^Received put event/;

/** Wraps `inner` so that the SDK's stream failures and recoveries are seen. */
export function watchStream(inner: LDLogger): StreamHealth {
  let delivering = true;
  const listeners: Array<(delivering: boolean) => void> = [];
  const set = (next: boolean) => {
    if (next === delivering) return;
    delivering = next;
    for (const listener of listeners) listener(next);
  };
  const seeFailure = (args: unknown[]) => {
    const line = args[0];
    if (typeof line === "string" && INTERRUPTED.some((re) => re.test(line))) set(false);
  };
  const logger: LDLogger = {
    error(...args: unknown[]) {
      seeFailure(args);
      inner.error(...args);
    },
    warn(...args: unknown[]) {
      seeFailure(args);
      inner.warn(...args);
    },
    info(...args: unknown[]) {
      seeFailure(args);
      inner.info(...args);
    },
    debug(...args: unknown[]) {
      if (typeof args[0] === "string" && DELIVERING.test(args[0])) set(true);
      inner.debug(...args);
    },
  };
  return {
    logger,
    delivering: () => delivering,
    onChange: (listener) => {
      listeners.push(listener);
    },
  };
}
