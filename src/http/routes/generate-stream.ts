/**
 * `POST /subjects/{s}/generate` with `"stream": true`: a `text/event-stream` answer. `partial` events carry
 * the partial value as it forms (`version`, `status`, `value`, `complete`, `pending`); one `outcome` event
 * carries exactly the body the non-streamed call answers (a failure quarantined as usual); comment lines
 * keep the connection alive while the model is slow. When the client goes away the upstream request is
 * aborted and nothing is judged.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { GenerationStream } from "../../app/generation-stream.js";
import type { GenerationOutcome } from "../../app/generation-types.js";
import { type StreamResult, streamResult } from "../stream-metrics.js";

/** A comment line this often while the stream is open, so proxies and clients do not time it out. */
export const HEARTBEAT_MS = 15_000;

/** What the route records about one stream. */
export interface StreamObserver {
  firstPartial(): void;
  resumed(count: number): void;
  ended(result: StreamResult): void;
}

/** Writes the stream as server-sent events (the reply is hijacked: Fastify sends nothing more). */
export async function sendGenerationStream(
  request: FastifyRequest,
  reply: FastifyReply,
  stream: GenerationStream,
  answerBody: (outcome: GenerationOutcome) => unknown,
  observe: StreamObserver,
  heartbeatMs = HEARTBEAT_MS,
): Promise<void> {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    "x-accel-buffering": "no",
    "x-request-id": String(request.id),
  });
  let gone = false;
  let result: StreamResult = "disconnected";
  raw.on("close", () => {
    if (raw.writableFinished) return;
    gone = true;
    stream.abort();
  });
  let firstPartial = true;
  const heartbeat = setInterval(() => raw.write(": heartbeat\n\n"), heartbeatMs);
  try {
    for await (const event of stream.events) {
      if (gone) break;
      if (event.type === "outcome") {
        result = streamResult(event.outcome);
        if (event.resumes > 0) observe.resumed(event.resumes);
        write(raw, "outcome", answerBody(event.outcome));
        continue;
      }
      if (firstPartial) {
        firstPartial = false;
        observe.firstPartial();
      }
      const { status, value, complete, pending } = event.partial;
      write(raw, "partial", { version: event.version, status, value, complete, pending: pending ?? null });
    }
  } catch (err) {
    request.log.error({ err }, "streamed generate failed");
  } finally {
    clearInterval(heartbeat);
    raw.end();
    observe.ended(gone ? "disconnected" : result);
  }
}

function write(raw: FastifyReply["raw"], event: string, data: unknown): void {
  if (!raw.destroyed) raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}
