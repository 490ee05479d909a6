import type { LDLogger } from "@launchdarkly/node-server-sdk";
import { describe, expect, test } from "vitest";
import { watchStream } from "../../../src/adapters/flags/stream-health.js";

/** A logger recording what reaches it. */
function recording(): LDLogger & { lines: string[] } {
  const lines: string[] = [];
  const at =
    (level: string) =>
    (...args: unknown[]) => {
      lines.push(`${level} ${String(args[0])}`);
    };
  return { lines, error: at("error"), warn: at("warn"), info: at("info"), debug: at("debug") };
}

// The lines of @launchdarkly/node-server-sdk 9 (js-server-sdk-common StreamingProcessor and httpErrorMessage).
describe.each([
  [
    "warn",
    "Received I/O error (the request completed unexpectedly) for streaming request - will retry",
    false,
  ],
  ["warn", "Received error 503 for streaming request - will retry", false],
  ["error", "Received error 401 (invalid SDK key) for streaming request - giving up permanently", false],
  ["info", "Will retry stream connection in 1000 milliseconds", false],
  ["info", "Opened LaunchDarkly stream connection", true],
  ["debug", "Received patch event", true],
] as const)("%s %s", (level, line, stillDelivering) => {
  test(`leaves delivering() ${stillDelivering} and forwards the line`, () => {
    const inner = recording();
    const health = watchStream(inner);
    health.logger[level](line);
    expect(health.delivering()).toBe(stillDelivering);
    expect(inner.lines).toEqual([`${level} ${line}`]);
  });
});

describe("watchStream", () => {
  test("a full data set after an interruption means delivering again; listeners hear both changes once", () => {
    const health = watchStream(recording());
    const changes: boolean[] = [];
    health.onChange((delivering) => changes.push(delivering));
    health.logger.warn("Received error 503 for streaming request - will retry");
    health.logger.info("Will retry stream connection in 2000 milliseconds");
    expect(health.delivering()).toBe(false);
    health.logger.debug("Received put event");
    expect(health.delivering()).toBe(true);
    expect(changes).toEqual([false, true]);
  });
});
