/**
 * One SDK call as every call of the client makes it: cut by our own signal at min(attempt timeout, budget
 * left) (the SDK's own timeout stops at the headers), counted in the request metrics, and a failure
 * classified for the retry and breaker policies.
 */
import { type AttemptFailure, classifyAttemptError } from "./failures.js";
import type { OpenAIMetrics } from "./metrics.js";

/** Thrown inside the breaker so that it can tell upstream failures from our own. */
export class AttemptError extends Error {
  constructor(readonly failure: AttemptFailure) {
    super(failure.message);
    this.name = "AttemptError";
  }
}

/** What an attempt needs from its client. */
export interface AttemptContext {
  readonly metrics: OpenAIMetrics;
  readonly attemptTimeoutMs: number;
}

/** An SDK call given its abort signal and timeout: the SDK's `.withResponse()` answer. */
export type SdkCall = (
  signal: AbortSignal,
  timeoutMs: number,
) => Promise<{ data: unknown; request_id?: string | null | undefined }>;

/** Runs `call` as one attempt that must end (up to its headers) by `deadline`; throws AttemptError on an upstream failure. */
export async function runAttempt(
  context: AttemptContext,
  deadline: number,
  call: SdkCall,
): Promise<{ data: unknown; requestId: string | undefined }> {
  const timeoutMs = Math.max(1, Math.ceil(Math.min(context.attemptTimeoutMs, deadline - performance.now())));
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const started = performance.now();
  try {
    const { data, request_id } = await call(controller.signal, timeoutMs);
    observeCall(context.metrics, "200", started, false);
    return { data, requestId: request_id ?? undefined };
  } catch (err) {
    const failure = classifyAttemptError(err, timedOut);
    if (failure === undefined) throw err;
    observeCall(context.metrics, String(failure.status), started, failure.breakerFailure);
    if (failure.status === "timeout") context.metrics.timeouts.inc();
    throw new AttemptError(failure);
  } finally {
    clearTimeout(timer);
  }
}

/** Counts one answered (or failed) upstream call. */
export function observeCall(metrics: OpenAIMetrics, status: string, started: number, failed: boolean): void {
  metrics.requests.inc({ status });
  metrics.latencyMs.observe({ status }, performance.now() - started);
  metrics.recordOutcome(failed, Date.now());
}
