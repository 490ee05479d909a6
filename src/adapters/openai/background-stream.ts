/**
 * Resuming and cancelling background responses (`background: true, store: true`): the Responses API
 * replays a background response's events after a sequence number (`GET /v1/responses/{id}?stream=true&
 * starting_after=N`) and stops one on `POST /v1/responses/{id}/cancel`. Neither starts a generation.
 */
import type { ResponseEventStream } from "../../core/parse/response-events.js";
import { type AttemptContext, AttemptError, runAttempt } from "./attempt.js";
import { errorForFailure } from "./failures.js";
import { guardStream } from "./stream-guard.js";
import type { Transport } from "./transport.js";

/**
 * Reopens the event stream of background response `id` after `startingAfter`, within one attempt timeout
 * up to its headers; the stream is then cut after the same timeout without an event. A failure throws
 * the client's typed error (the stream reader ends as `stream_interrupted`, saying why).
 */
export async function resumeBackgroundStream(
  context: AttemptContext,
  transport: Transport,
  id: string,
  startingAfter: number,
  model: string,
): Promise<ResponseEventStream> {
  try {
    const { data } = await runAttempt(
      context,
      performance.now() + context.attemptTimeoutMs,
      (signal, timeout) =>
        transport.sdk.responses
          .retrieve(id, { stream: true, starting_after: startingAfter }, { signal, timeout, maxRetries: 0 })
          .withResponse(),
    );
    return guardStream(data as ResponseEventStream, context.attemptTimeoutMs, () => {});
  } catch (err) {
    throw err instanceof AttemptError ? errorForFailure(err.failure, 1, model) : err;
  }
}

/** Cancels background response `id` (best effort: a failure is counted in the request metrics, not thrown). */
export async function cancelBackgroundResponse(
  context: AttemptContext,
  transport: Transport,
  id: string,
): Promise<void> {
  try {
    await runAttempt(context, performance.now() + context.attemptTimeoutMs, (signal, timeout) =>
      transport.sdk.responses.cancel(id, { signal, timeout, maxRetries: 0 }).withResponse(),
    );
  } catch {
    // Counted by runAttempt; the response ends on its own (or at the end of its retention period).
  }
}
