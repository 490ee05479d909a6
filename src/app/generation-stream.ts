/**
 * Streamed generation: the generate call with `stream: true` upstream, answered as partial values while
 * the output forms and then the outcome the non-streamed call would give (validated against the version
 * whose schema was sent, quarantined on failure), with its generation info. The upstream stream opens
 * before anything is answered, so shedding, an open breaker and upstream errors stay ordinary errors.
 * A background response (STRUCTREG_OPENAI_STREAM_BACKGROUND) whose stream is cut is resumed after the
 * last event applied, never generated again; one the caller walks away from is cancelled upstream.
 */
import type { Parser } from "../core/parse/pipeline.js";
import type { StreamPartial } from "../core/parse/stream-parser.js";
import type {
  GenerationInfo,
  GenerationOutcome,
  ResponsesUsage,
  UpstreamStream,
} from "./generation-types.js";
import { type ResumeOptions, streamResponse } from "./stream-response.js";
import type { ValidationOutcome } from "./validation-types.js";

/** What a streamed generate call yields: partial values, then one outcome. */
export type GenerationStreamEvent =
  | { type: "partial"; version: number; partial: StreamPartial }
  | { type: "outcome"; outcome: GenerationOutcome; resumes: number };

/** A streamed generate call whose upstream stream is open. */
export interface GenerationStream {
  events: AsyncGenerator<GenerationStreamEvent, void, undefined>;
  /** The caller went away: abort the upstream request; no outcome is produced (nothing is quarantined). */
  abort(): void;
}

/** What one streamed call is built from. */
export interface GenerationStreamParts {
  version: number;
  parser: Parser;
  upstream: UpstreamStream;
  info: Omit<GenerationInfo, "usage">;
  validate(response: Record<string, unknown>): Promise<ValidationOutcome>;
  /** How many resumes, within how long of the first cut (used only when the upstream can resume). */
  resumeLimits: { maxResumes: number; resumeBudgetMs: number };
}

/** Runs one opened upstream stream through the stream parser and validation. */
export function streamGeneration(parts: GenerationStreamParts): GenerationStream {
  const { upstream } = parts;
  const aborted = new AbortController();
  let usage: ResponsesUsage | null = null;
  const validate = (response: Record<string, unknown>) => {
    usage = usageOf(response);
    return parts.validate(response);
  };
  const target = async () => ({ version: parts.version, parser: parts.parser });
  const resume: ResumeOptions = {
    resume: upstream.resume,
    cancel: upstream.cancel,
    ...(upstream.resume === undefined ? {} : parts.resumeLimits),
  };
  const inner = streamResponse({ target, validate, signal: aborted.signal }, upstream.events, resume);
  async function* events(): AsyncGenerator<GenerationStreamEvent, void, undefined> {
    try {
      for await (const event of inner) {
        if (event.type === "partial") yield event;
        else
          yield {
            type: "outcome",
            outcome: { ...event.outcome, ...parts.info, usage },
            resumes: event.resumes,
          };
      }
    } finally {
      upstream.release();
    }
  }
  return {
    events: events(),
    abort: () => {
      aborted.abort();
      upstream.events.controller?.abort();
    },
  };
}

/** The usage a response reports, if any. */
export function usageOf(response: Record<string, unknown>): ResponsesUsage | null {
  const usage = response.usage;
  return typeof usage === "object" && usage !== null ? (usage as ResponsesUsage) : null;
}
