/** Metrics of streamed generate calls (`"stream": true`). */
import { Counter, Histogram, type Registry } from "prom-client";
import type { GenerationOutcome } from "../app/generation-types.js";

/** How a stream ended: a value, a rejected output, a stream cut before its end, or a client that left. */
export type StreamResult = "ok" | "rejected" | "interrupted" | "disconnected";

/** The counters and the histogram of streamed calls. */
export interface StreamMetrics {
  started: Counter<"subject">;
  ended: Counter<"subject" | "result">;
  /** Resumes of cut upstream streams (background responses only). */
  resumed: Counter<"subject">;
  firstPartialSeconds: Histogram<"subject">;
}

/** Registers the stream metrics on `registry`. */
export function createStreamMetrics(registry: Registry): StreamMetrics {
  return {
    started: new Counter({
      name: "structreg_streams_started_total",
      help: "Streamed generate calls whose upstream stream opened.",
      labelNames: ["subject"],
      registers: [registry],
    }),
    ended: new Counter({
      name: "structreg_streams_ended_total",
      help: "Streamed generate calls ended, by result (ok, rejected, interrupted, disconnected).",
      labelNames: ["subject", "result"],
      registers: [registry],
    }),
    resumed: new Counter({
      name: "structreg_streams_resumed_total",
      help: "Cut upstream streams resumed after their last applied event (background responses).",
      labelNames: ["subject"],
      registers: [registry],
    }),
    firstPartialSeconds: new Histogram({
      name: "structreg_stream_first_partial_seconds",
      help: "Time from the request to the first partial value sent.",
      labelNames: ["subject"],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
  };
}

/** The result label of a streamed call's outcome. */
export function streamResult(outcome: GenerationOutcome): StreamResult {
  if (outcome.ok) return "ok";
  const interrupted = outcome.issues.some(
    (i) =>
      i.code === "response_failed" && (i.error as { code?: unknown } | null)?.code === "stream_interrupted",
  );
  return interrupted ? "interrupted" : "rejected";
}
