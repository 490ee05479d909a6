/**
 * `client.streamResponse`: a Responses API event stream the caller already opened (the openai SDK's
 * `responses.create({stream: true})` or `responses.stream()`), turned into partial values as the output
 * forms and, last, the outcome `validate` gives for the finished response. Events are applied in
 * `sequence_number` order exactly once (response-events.ts), across resumes too.
 *
 * When the stream breaks before its terminal event and the caller gave a `resume` function, the same
 * response is reopened after the last sequence number applied (the Responses API's retrieve with
 * `stream=true` and `starting_after`, for background responses), at most `maxResumes` times and only
 * within `resumeBudgetMs` of the first break; events the new stream replays are dropped as duplicates.
 * Otherwise it ends as a failed outcome whose error is `stream_interrupted` with the text so far. A new
 * generation is never started here.
 */

import type { Parser } from "../core/parse/pipeline.js";
import {
  interruptedResponse,
  ResponseEventReader,
  type ResponseEventStream,
} from "../core/parse/response-events.js";
import type { StreamParser, StreamPartial } from "../core/parse/stream-parser.js";
import type { ValidationOutcome } from "./validation-types.js";

export type { ResponseEventStream };

/** What `streamResponse` yields: partial values, then exactly one outcome. */
export type StreamResponseEvent =
  | {
      type: "partial";
      /** The version whose schema types the partial (the one `validate` targets without a pin). */
      version: number;
      /** Live: read it before asking for the next event. */
      partial: StreamPartial;
    }
  | {
      type: "outcome";
      outcome: ValidationOutcome;
      /** How many times the stream was resumed after a break. */
      resumes: number;
    };

/** How a broken stream is resumed. */
export interface ResumeOptions {
  /**
   * Reopens the response's event stream after `startingAfter`, e.g.
   * `(id, after) => openai.responses.retrieve(id, { stream: true, starting_after: after })`.
   */
  resume?: ((responseId: string, startingAfter: number) => Promise<ResponseEventStream>) | undefined;
  /** Resumes per stream (default 2). */
  maxResumes?: number | undefined;
  /**
   * No resume starts later than this after the stream first broke, ms (default 30,000): it bounds the time
   * spent recovering, not the length of the generation.
   */
  resumeBudgetMs?: number | undefined;
  /**
   * Stops the response upstream (e.g. `(id) => openai.responses.cancel(id)`): called, without waiting,
   * when the stream ends without its outcome (the caller went away, or it could not be resumed), since a
   * background response goes on generating after its connection is gone.
   */
  cancel?: ((responseId: string) => void) | undefined;
}

/** What streaming one response needs from the client. */
export interface StreamResponseDeps {
  target(): Promise<{ version: number; parser: Parser }>;
  validate(response: Record<string, unknown>): Promise<ValidationOutcome>;
  /** Monotonic milliseconds (default `performance.now`). */
  now?: () => number;
  /** Aborted: the caller went away; the stream ends with no outcome (nothing is judged or quarantined). */
  signal?: AbortSignal;
}

const DEFAULT_MAX_RESUMES = 2;
const DEFAULT_RESUME_BUDGET_MS = 30_000;

/** Streams one response (see the module comment). */
export async function* streamResponse(
  deps: StreamResponseDeps,
  events: ResponseEventStream,
  options: ResumeOptions = {},
): AsyncGenerator<StreamResponseEvent, void, undefined> {
  const now = deps.now ?? (() => performance.now());
  const { version, parser } = await deps.target();
  const text = parser.stream();
  const reader = new ResponseEventReader(text);
  let current = events;
  let resumes = 0;
  let firstBreak: number | undefined;
  try {
    for (;;) {
      const cause = yield* pump(current, reader, text, version, deps.signal);
      if (deps.signal?.aborted === true) return;
      if (cause === undefined) break;
      firstBreak ??= now();
      const reopened = await reopen(reader, options, resumes, now() - firstBreak);
      if (typeof reopened === "string" || reopened === undefined) {
        const why = reopened === undefined ? cause : `${cause}; ${reopened}`;
        const response = interruptedResponse(text.text, reader.lastApplied, why, resumes);
        yield { type: "outcome", outcome: await deps.validate(response), resumes };
        return;
      }
      current = reopened;
      resumes++;
    }
    yield { type: "outcome", outcome: await deps.validate(reader.response!), resumes };
  } finally {
    // Ended without the response's own end (the caller left, or it could not be resumed): a background
    // response would go on generating, and billing, with nobody to read it.
    if (reader.responseId !== undefined && !reader.done) options.cancel?.(reader.responseId);
  }
}

/** Reads one stream; returns why it broke, or undefined once the terminal event was applied. */
async function* pump(
  events: ResponseEventStream,
  reader: ResponseEventReader,
  text: StreamParser,
  version: number,
  signal: AbortSignal | undefined,
): AsyncGenerator<StreamResponseEvent, string | undefined, undefined> {
  let finished = false;
  // The caller going away aborts whichever stream is being read (after a resume, not the first one).
  const abort = () => events.controller?.abort();
  signal?.addEventListener("abort", abort);
  try {
    for await (const event of events) {
      const step = reader.receive(event);
      if (step.kind === "end") {
        finished = true;
        return undefined;
      }
      if (step.kind === "text") {
        const partial = text.partial();
        if (partial.value !== undefined) yield { type: "partial", version, partial };
      }
    }
    finished = true;
    return reader.pending > 0 ? `${reader.pending} events wait for a missing one` : "no terminal event";
  } catch (err) {
    finished = true;
    return err instanceof Error ? err.message : String(err);
  } finally {
    signal?.removeEventListener("abort", abort);
    // Stopped before the end (the consumer broke out, or the stream failed): release the upstream request.
    if (!finished || !reader.done) events.controller?.abort();
  }
}

/** A resumed stream, undefined when resuming is not possible, or why the resume failed. */
async function reopen(
  reader: ResponseEventReader,
  options: ResumeOptions,
  resumes: number,
  elapsedMs: number,
): Promise<ResponseEventStream | string | undefined> {
  const id = reader.responseId;
  if (options.resume === undefined || id === undefined) return undefined;
  if (resumes >= (options.maxResumes ?? DEFAULT_MAX_RESUMES)) return `gave up after ${resumes} resumes`;
  if (elapsedMs >= (options.resumeBudgetMs ?? DEFAULT_RESUME_BUDGET_MS)) return "the resume budget is spent";
  try {
    return await options.resume(id, reader.lastApplied);
  } catch (err) {
    return `resuming failed: ${err instanceof Error ? err.message : String(err)}`;
  }
}
