/**
 * `client.streamResponse`: a Responses API event stream the caller already opened (the openai SDK's
 * `responses.create({stream: true})` or `responses.stream()`), turned into partial values as the output
 * forms and, last, the outcome `validate` gives for the finished response. Events are applied in
 * `sequence_number` order exactly once (response-events.ts). A stream that ends or throws before its
 * terminal event ends as a failed outcome whose error is `stream_interrupted` with the text so far; it is
 * never retried here (a retry would be a second generation).
 */
import type { ValidationOutcome } from "../app/validation-types.js";
import type { Parser } from "../core/parse/pipeline.js";
import {
  interruptedResponse,
  type ResponseEvent,
  ResponseEventReader,
} from "../core/parse/response-events.js";
import type { StreamPartial } from "../core/parse/stream-parser.js";

/** What `streamResponse` yields: partial values, then exactly one outcome. */
export type StreamResponseEvent =
  | {
      type: "partial";
      /** The version whose schema types the partial (the one `validate` targets without a pin). */
      version: number;
      /** Live: read it before asking for the next event. */
      partial: StreamPartial;
    }
  | { type: "outcome"; outcome: ValidationOutcome };

/** What streaming one response needs from the client. */
export interface StreamResponseDeps {
  target(): Promise<{ version: number; parser: Parser }>;
  validate(response: Record<string, unknown>): Promise<ValidationOutcome>;
}

/** An SDK stream: async iterable events and, on SDK streams, a controller to abort the request with. */
export type ResponseEventStream = AsyncIterable<ResponseEvent> & { controller?: { abort(): void } };

/** Streams one response (see the module comment). */
export async function* streamResponse(
  deps: StreamResponseDeps,
  events: ResponseEventStream,
): AsyncGenerator<StreamResponseEvent, void, undefined> {
  const { version, parser } = await deps.target();
  const text = parser.stream();
  const reader = new ResponseEventReader(text);
  let response: Record<string, unknown> | undefined;
  try {
    for await (const event of events) {
      const step = reader.receive(event);
      if (step.kind === "end") {
        response = step.response;
        break;
      }
      if (step.kind === "text") {
        const partial = text.partial();
        if (partial.value !== undefined) yield { type: "partial", version, partial };
      }
    }
    response ??= interruptedResponse(text.text, reader.lastApplied, endedEarly(reader.pending));
  } catch (err) {
    response = interruptedResponse(text.text, reader.lastApplied, errorMessage(err));
  } finally {
    // Stopped before the end (the consumer broke out, or the stream failed): release the upstream request.
    if (response === undefined || !reader.done) events.controller?.abort();
  }
  yield { type: "outcome", outcome: await deps.validate(response) };
}

function endedEarly(pending: number): string {
  return pending > 0 ? `${pending} events wait for a missing one` : "no terminal event";
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
