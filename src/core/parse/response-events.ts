/**
 * Reading a Responses API event stream (`stream: true`): events are applied in `sequence_number` order
 * exactly once, whatever order and however often they arrive. A duplicate (a sequence number already
 * applied or already waiting) is dropped; an event ahead of the next expected one waits in a bounded
 * buffer until the gap fills. Output text deltas feed a stream parser; the terminal event
 * (`response.completed`, `response.incomplete`, `response.failed`, `error`) ends the stream with the
 * response to judge, its output text replaced by the text the deltas assembled.
 */
import { isJsonObject } from "../json.js";
import type { StreamParser } from "./stream-parser.js";

/** The fields of a Responses API stream event that structreg reads (the openai SDK's `ResponseStreamEvent`). */
export interface ResponseEvent {
  type: string;
  sequence_number?: number;
  delta?: string;
  response?: unknown;
  code?: string | null;
  message?: string;
}

/** An SDK event stream: async iterable events and, on SDK streams, a controller to abort the request with. */
export type ResponseEventStream = AsyncIterable<ResponseEvent> & { controller?: { abort(): void } };

/** What applying the events received so far did. */
export type EventStep =
  | { kind: "none" }
  /** Output text was added: the stream parser's partial value may have changed. */
  | { kind: "text" }
  /** The stream ended: judge `response` (a Responses API response object). */
  | { kind: "end"; response: Record<string, unknown> };

/** Events that may wait for a gap to fill before the stream counts as broken. */
export const DEFAULT_MAX_PENDING_EVENTS = 1024;

const TERMINAL = new Set(["response.completed", "response.incomplete", "response.failed", "error"]);

/** Applies one response's events in sequence order. */
export class ResponseEventReader {
  /** The last sequence number applied. */
  lastApplied: number;
  /** Events received but not applied: duplicates and events after the end included. */
  ignored = 0;
  /** The response's id, from the first event that carries the response (what a resume asks for). */
  responseId: string | undefined;
  private readonly waiting = new Map<number, ResponseEvent>();
  private refusal = "";
  private ended: Record<string, unknown> | undefined;

  /**
   * `startingAfter`: the sequence number the stream resumes after (-1: a new stream, whose first event is
   * number 0).
   */
  constructor(
    private readonly stream: StreamParser,
    startingAfter = -1,
    private readonly maxPending = DEFAULT_MAX_PENDING_EVENTS,
  ) {
    this.lastApplied = startingAfter;
  }

  /** The refusal text the deltas assembled so far. */
  get refusalText(): string {
    return this.refusal;
  }

  /** True once a terminal event was applied. */
  get done(): boolean {
    return this.ended !== undefined;
  }

  /** The response to judge, once a terminal event was applied. */
  get response(): Record<string, unknown> | undefined {
    return this.ended;
  }

  /** Events waiting for an earlier sequence number. */
  get pending(): number {
    return this.waiting.size;
  }

  /**
   * Receives one event as it arrived. Returns `end` when a terminal event is applied, `text` when output
   * text was applied, else `none`; past `maxPending` waiting events it ends the stream as failed.
   */
  receive(event: ResponseEvent): EventStep {
    if (this.ended !== undefined) {
      this.ignored++;
      return { kind: "none" };
    }
    if (this.responseId === undefined && isJsonObject(event.response)) {
      const id = event.response.id;
      if (typeof id === "string") this.responseId = id;
    }
    const seq = event.sequence_number;
    // Without a sequence number there is nothing to order by: apply in arrival order.
    if (typeof seq !== "number" || !Number.isSafeInteger(seq)) return this.apply(event, "none");
    if (seq <= this.lastApplied || this.waiting.has(seq)) {
      this.ignored++;
      return { kind: "none" };
    }
    if (seq !== this.lastApplied + 1) return this.wait(seq, event);
    let step = this.apply(event, "none");
    this.lastApplied = seq;
    // Then everything that was waiting for it, in order.
    for (
      let next = this.waiting.get(seq + 1);
      next !== undefined;
      next = this.waiting.get(this.lastApplied + 1)
    ) {
      this.waiting.delete(this.lastApplied + 1);
      this.lastApplied++;
      step = this.apply(next, step.kind);
      if (this.ended !== undefined) break;
    }
    return step;
  }

  private wait(seq: number, event: ResponseEvent): EventStep {
    if (this.waiting.size >= this.maxPending) {
      this.waiting.clear();
      return this.end(
        streamFailure(
          "stream_out_of_order",
          `more than ${this.maxPending} events arrived ahead of a missing one`,
        ),
      );
    }
    this.waiting.set(seq, event);
    return { kind: "none" };
  }

  /** Applies one event; `before` is what the events applied just before it did. */
  private apply(event: ResponseEvent, before: EventStep["kind"]): EventStep {
    const none: EventStep = before === "text" ? { kind: "text" } : { kind: "none" };
    switch (event.type) {
      case "response.output_text.delta":
        if (typeof event.delta !== "string") return none;
        this.stream.write(event.delta);
        return { kind: "text" };
      case "response.refusal.delta":
        if (typeof event.delta === "string") this.refusal += event.delta;
        return none;
      default:
        return TERMINAL.has(event.type) ? this.end(this.terminalResponse(event)) : none;
    }
  }

  private end(response: Record<string, unknown>): EventStep {
    this.ended = response;
    return { kind: "end", response };
  }

  /** The response to judge: the terminal event's, its output text the assembled one. */
  private terminalResponse(event: ResponseEvent): Record<string, unknown> {
    if (event.type === "error") {
      return streamFailure(event.code ?? "stream_error", event.message ?? "the stream reported an error");
    }
    const response = isJsonObject(event.response) ? (event.response as Record<string, unknown>) : {};
    // `output_text` wins over the output items when it is non-empty (responses.ts): the deltas, applied
    // in order exactly once, are the text; an empty one leaves the items (a refusal) to speak.
    return { ...response, object: "response", output_text: this.stream.text };
  }
}

/** A failed response for a stream that broke or reported an error instead of a response. */
export function streamFailure(code: string, message: string): Record<string, unknown> {
  return { object: "response", status: "failed", error: { code, message }, output: [] };
}

/**
 * The failed response for a stream that ended before its terminal event (a cut connection, a gap that
 * never filled): `stream_interrupted`, with the text applied so far and the last sequence number applied,
 * so nothing is silently retried.
 */
export function interruptedResponse(
  text: string,
  lastApplied: number,
  cause: string,
  resumes = 0,
): Record<string, unknown> {
  const response = streamFailure("stream_interrupted", `the stream ended before the response did: ${cause}`);
  Object.assign(response.error as Record<string, unknown>, {
    text,
    lastSequenceNumber: lastApplied,
    resumes,
  });
  return response;
}
