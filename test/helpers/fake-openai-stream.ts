/**
 * The fake's `stream: true` answers: the Responses API's server-sent events as OpenAI sends them
 * (`event: <type>` + `data: <json>` with a `sequence_number` from 0; response.created, in_progress, the
 * output item and content part, text or refusal deltas, their done events, then response.completed,
 * response.incomplete or response.failed), with scriptable faults: duplicated, reordered and dropped
 * events, an `error` event, and a connection cut after N events.
 *
 * Background responses (`background: true`, which requires `store: true`) behave as OpenAI's do: their
 * stream starts `response.created` (status `queued`), `response.queued`, `response.in_progress`; they go on
 * after their connection is cut, so `GET /v1/responses/{id}?stream=true&starting_after=N` replays their
 * events after N, and `POST /v1/responses/{id}/cancel` stops them. Any other response cannot be resumed
 * (404 "Response with id … not found.", as OpenAI answers) nor cancelled.
 */
import type { ServerResponse } from "node:http";
import type { FakeStep } from "./fake-openai.js";

/** How a streamed answer is sent and broken. */
export interface StreamFaults {
  /** Characters per text delta (default 7). */
  chunk?: number;
  /** Explicit delta texts (they must join to the output text). */
  deltas?: string[];
  /** Sequence numbers sent twice (the copy right after the original). */
  duplicate?: number[];
  /** Pairs of sequence numbers sent in each other's place. */
  swap?: Array<[number, number]>;
  /** Sequence numbers never sent. */
  drop?: number[];
  /** Destroy the connection after this many events were sent. */
  cutAfter?: number;
  /** Replace the terminal event by an `error` event. */
  error?: { code: string; message: string };
  /** Pause between events, ms. */
  gapMs?: number;
  /**
   * Faults of the streams that resume this response (`GET /v1/responses/{id}?stream=true&starting_after=N`),
   * one per resume in order; past the list, resumes stream cleanly. `false`: the response cannot be resumed.
   */
  resumes?: StreamFaults[] | false;
}

/** A streamed answer: `of` says what the response is (default ok). */
export type FakeStreamStep = { kind: "stream"; of?: FakeStep } & StreamFaults;

type Event = Record<string, unknown> & { type: string; sequence_number: number };

/** A background response's events, kept for resumes and cancels. */
interface StoredStream {
  events: Event[];
  faults: StreamFaults;
  resumed: number;
  cancelled: boolean;
}

/** Background responses by id (test processes stream few; the oldest are forgotten past 1,000). */
const STREAMS = new Map<string, StoredStream>();

/** Streams `events`; a background response's are kept under its id for resumes. */
export function sendNewStream(
  res: ServerResponse,
  requestId: string,
  events: Event[],
  faults: StreamFaults,
): Promise<void> {
  const created = events[0]?.response as { id?: string; background?: boolean } | undefined;
  if (created?.id !== undefined && created.background === true) {
    if (STREAMS.size >= 1000) STREAMS.delete(STREAMS.keys().next().value!);
    STREAMS.set(created.id, { events, faults, resumed: 0, cancelled: false });
  }
  return sendEventStream(res, requestId, wireOrder(events, faults), faults);
}

/** The background response `id`, or undefined when there is none (or it was scripted not to resume). */
function stored(id: string): StoredStream | undefined {
  const found = STREAMS.get(id);
  return found === undefined || found.faults.resumes === false ? undefined : found;
}

/**
 * Answers `POST /v1/responses/{id}/cancel`: the response with status `cancelled`; undefined when there is
 * no background response `id`.
 */
export function cancelStream(id: string): Record<string, unknown> | undefined {
  const found = stored(id);
  if (found === undefined) return undefined;
  found.cancelled = true;
  const last = found.events.at(-1)?.response as Record<string, unknown> | undefined;
  return { ...(last ?? {}), id, status: "cancelled" };
}

/** Whether background response `id` was cancelled. */
export function wasCancelled(id: string): boolean {
  return STREAMS.get(id)?.cancelled === true;
}

/**
 * Answers `GET /v1/responses/{id}?stream=true&starting_after=N`: the events after N again (the next
 * scripted resume faults applied); false when there is no such background response to resume.
 */
export async function resumeStream(res: ServerResponse, requestId: string, url: URL): Promise<boolean> {
  const id = url.pathname.split("/").at(-1) ?? "";
  const found = stored(id);
  if (found === undefined || url.searchParams.get("stream") !== "true") return false;
  const after = Number(url.searchParams.get("starting_after") ?? "-1");
  // (`resumes: false` never gets here: such a response is not stored.)
  const faults = (found.faults.resumes || undefined)?.[found.resumed++] ?? {};
  const events = found.events.filter((e) => e.sequence_number > after);
  await sendEventStream(res, requestId, wireOrder(events, faults), faults);
  return true;
}

/** The events of `final` (a full response body) as OpenAI streams them. */
export function streamEvents(final: Record<string, unknown>, faults: StreamFaults): Event[] {
  const events: Array<Record<string, unknown> & { type: string }> = [];
  const inProgress = {
    ...final,
    status: "in_progress",
    output: [],
    usage: null,
    error: null,
    incomplete_details: null,
  };
  if (final.background === true) {
    // A background response is queued before it runs.
    const queued = { ...inProgress, status: "queued" };
    events.push({ type: "response.created", response: queued });
    events.push({ type: "response.queued", response: queued });
  } else events.push({ type: "response.created", response: inProgress });
  events.push({ type: "response.in_progress", response: inProgress });
  const item = (final.output as Array<Record<string, unknown>>)[0];
  if (item !== undefined) events.push(...itemEvents(item, faults));
  const terminal =
    faults.error !== undefined
      ? { type: "error", code: faults.error.code, message: faults.error.message, param: null }
      : { type: `response.${final.status === "completed" ? "completed" : final.status}`, response: final };
  events.push(terminal);
  return events.map((e, i) => ({ ...e, sequence_number: i }));
}

function itemEvents(
  item: Record<string, unknown>,
  faults: StreamFaults,
): Array<Record<string, unknown> & { type: string }> {
  const part = (item.content as Array<Record<string, unknown>>)[0]!;
  const at = { item_id: item.id, output_index: 0, content_index: 0 };
  const refusal = part.type === "refusal";
  const full = String(refusal ? part.refusal : part.text);
  const emptyPart = refusal
    ? { type: "refusal", refusal: "" }
    : { type: "output_text", text: "", annotations: [], logprobs: [] };
  const deltaType = refusal ? "response.refusal.delta" : "response.output_text.delta";
  const deltas = faults.deltas ?? chunks(full, faults.chunk ?? 7);
  return [
    {
      type: "response.output_item.added",
      output_index: 0,
      item: { ...item, status: "in_progress", content: [] },
    },
    { type: "response.content_part.added", ...at, part: emptyPart },
    ...deltas.map((delta) => ({ type: deltaType, ...at, delta, ...(refusal ? {} : { logprobs: [] }) })),
    refusal
      ? { type: "response.refusal.done", ...at, refusal: full }
      : { type: "response.output_text.done", ...at, text: full, logprobs: [] },
    { type: "response.content_part.done", ...at, part },
    { type: "response.output_item.done", output_index: 0, item },
  ];
}

function chunks(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** The order events go on the wire after duplicates, swaps and drops. */
export function wireOrder(events: Event[], faults: StreamFaults): Event[] {
  const bySeq = new Map(events.map((e) => [e.sequence_number, e]));
  for (const [a, b] of faults.swap ?? []) {
    const ea = bySeq.get(a)!;
    bySeq.set(a, bySeq.get(b)!);
    bySeq.set(b, ea);
  }
  const out: Event[] = [];
  for (const e of events) {
    if (faults.drop?.includes(e.sequence_number)) continue;
    const sent = bySeq.get(e.sequence_number)!;
    out.push(sent);
    if (faults.duplicate?.includes(sent.sequence_number)) out.push(sent);
  }
  return out;
}

/** Sends the events as server-sent events; stops when the client goes away. */
export async function sendEventStream(
  res: ServerResponse,
  requestId: string,
  events: Event[],
  faults: StreamFaults,
): Promise<void> {
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
    "x-request-id": requestId,
    "openai-processing-ms": "12",
  });
  let sent = 0;
  for (const event of events) {
    if (res.destroyed) return;
    if (faults.cutAfter !== undefined && sent >= faults.cutAfter) {
      // Let the client read what was sent before the connection goes.
      await new Promise((r) => setTimeout(r, 50));
      res.socket?.destroy();
      return;
    }
    // Each event is handed to the socket before the next (and before a cut), as a live stream is.
    await new Promise<void>((resolve) =>
      res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`, () => resolve()),
    );
    sent++;
    if (faults.gapMs !== undefined) await new Promise((r) => setTimeout(r, faults.gapMs));
  }
  res.end();
}
