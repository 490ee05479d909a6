/**
 * A faithful fake of the OpenAI Responses API on 127.0.0.1 for the real `openai` SDK: the exact response
 * and error body shapes, `x-request-id` on every answer, refusal content parts, `status: "incomplete"` with
 * `incomplete_details`, and scriptable faults (429 with or without Retry-After / retry-after-ms, 5xx,
 * connection resets, slow answers, bodies that stall midway, malformed output text).
 *
 * Steps queued with `script()` answer the next requests in order; after them `fallback` (default: a
 * completed response echoing `defaultOutput`) answers.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { incorrectKeyMessage, responseBody, sendError, sendJson } from "./fake-openai-bodies.js";
import {
  cancelStream,
  type FakeStreamStep,
  resumeStream,
  sendNewStream,
  streamEvents,
} from "./fake-openai-stream.js";

export { responseBody };

/** How the fake answers one request. */
export type FakeStep =
  | { kind: "ok"; text?: string; output?: unknown; delayMs?: number }
  | { kind: "refusal"; refusal?: string }
  | { kind: "incomplete"; reason?: "max_output_tokens" | "content_filter"; text: string }
  | { kind: "failed"; code?: string; message?: string }
  | {
      kind: "error";
      status: number;
      type?: string;
      code?: string | null;
      message?: string;
      param?: string | null;
      headers?: Record<string, string>;
    }
  | { kind: "reset" }
  | { kind: "slow"; delayMs: number; then?: FakeStep }
  /** Headers (with the full Content-Length) and the first `bytes` of a completed body, then nothing. */
  | { kind: "stall"; bytes?: number }
  | FakeStreamStep;

/** A request the fake received. */
export interface FakeRequest {
  at: number;
  path: string;
  headers: IncomingMessage["headers"];
  body: Record<string, unknown>;
  remotePort: number | undefined;
}

/** The running fake. */
export interface FakeOpenAI {
  /** Base URL for the SDK (`…/v1`). */
  baseURL: string;
  apiKey: string;
  requests: FakeRequest[];
  /** Queue steps for the next requests. */
  script(...steps: FakeStep[]): void;
  /** How requests are answered once the script is used up. */
  fallback: (body: Record<string, unknown>) => FakeStep;
  /** Distinct client ports seen (fewer than requests = kept-alive connections were reused). */
  connections(): number;
  /** Client connections open right now. */
  openConnections(): number;
  /** Stalled answers whose client has not yet hung up. */
  stalledOpen(): number;
  close(): Promise<void>;
}

/** Options of the fake. */
export interface FakeOpenAIOptions {
  apiKey?: string;
  /** Output value of default completed responses. */
  defaultOutput?: unknown;
}

/** Starts the fake on a free port of 127.0.0.1. */
export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const apiKey = options.apiKey ?? "sk-test-fake";
  const steps: FakeStep[] = [];
  const sockets = new Set<Socket>();
  const ports = new Set<number>();
  const stalled = new Set<ServerResponse>();
  let counter = 0;
  const fake: FakeOpenAI = {
    baseURL: "",
    apiKey,
    requests: [],
    script: (...more) => steps.push(...more),
    fallback: () => ({ kind: "ok", output: options.defaultOutput ?? {} }),
    connections: () => ports.size,
    openConnections: () => sockets.size,
    stalledOpen: () => stalled.size,
    close: () => closeServer(server, sockets),
  };
  const server = createServer((req, res) => {
    void handle(req, res);
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    const requestId = `req_fake_${++counter}`;
    if (req.socket.remotePort !== undefined) ports.add(req.socket.remotePort);
    const body = parseObject(text);
    fake.requests.push({
      at: Date.now(),
      path: req.url ?? "",
      headers: req.headers,
      body,
      remotePort: req.socket.remotePort,
    });
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      return sendError(res, requestId, {
        kind: "error",
        status: 401,
        type: "invalid_request_error",
        code: "invalid_api_key",
        message: incorrectKeyMessage(String(req.headers.authorization ?? "").replace(/^Bearer /, "")),
      });
    }
    // Resuming and cancelling a background response (fake-openai-stream.ts).
    const url = new URL(req.url ?? "", "http://fake");
    const id = /^\/v1\/responses\/([^/]+)(\/cancel)?$/.exec(url.pathname);
    if (id !== null && (req.method === "GET" || (req.method === "POST" && id[2] !== undefined))) {
      const done = id[2] === undefined ? await resumeStream(res, requestId, url) : cancelStream(id[1]!);
      if (typeof done === "object") return sendJson(res, 200, requestId, done);
      if (done) return;
      const message = `Response with id '${id[1]}' not found.`;
      return sendError(res, requestId, { kind: "error", status: 404, message });
    }
    if (req.method !== "POST" || req.url !== "/v1/responses") {
      return sendError(res, requestId, { kind: "error", status: 404, message: `Unknown path ${req.url}` });
    }
    const step = steps.shift() ?? fake.fallback(body);
    if (step.kind === "stall")
      return stall(res, requestId, responseBody(body, { kind: "ok" }), step, stalled);
    await answer(res, requestId, body, step);
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("fake OpenAI has no port");
  fake.baseURL = `http://127.0.0.1:${address.port}/v1`;
  return fake;
}

async function answer(
  res: ServerResponse,
  requestId: string,
  body: Record<string, unknown>,
  step: FakeStep,
): Promise<void> {
  if (step.kind === "slow" || (step.kind === "ok" && step.delayMs !== undefined)) {
    const delay = step.kind === "slow" ? step.delayMs : (step.delayMs ?? 0);
    const gone = await waitUnlessClosed(res, delay);
    if (gone) return;
    if (step.kind === "slow") return answer(res, requestId, body, step.then ?? { kind: "ok" });
  }
  if (body.background === true && body.store === false) {
    const message = "Background mode requires `store` to be true.";
    return sendError(res, requestId, { kind: "error", status: 400, message, param: "store" });
  }
  // `stream: true` requests get server-sent events (fake-openai-stream.ts); a stream step implies them.
  if (step.kind === "stream" || (body.stream === true && step.kind !== "error" && step.kind !== "reset")) {
    const stream: FakeStreamStep = step.kind === "stream" ? step : { kind: "stream", of: step };
    const events = streamEvents(responseBody(body, stream.of ?? { kind: "ok" }), stream);
    return sendNewStream(res, requestId, events, stream);
  }
  switch (step.kind) {
    case "reset":
      res.socket?.destroy();
      return;
    case "error":
      return sendError(res, requestId, step);
    default:
      return sendJson(res, 200, requestId, responseBody(body, step));
  }
}

/** Sends the headers and part of the body, then holds the response open until the client hangs up. */
function stall(
  res: ServerResponse,
  requestId: string,
  body: unknown,
  step: Extract<FakeStep, { kind: "stall" }>,
  stalled: Set<ServerResponse>,
): void {
  const text = Buffer.from(JSON.stringify(body));
  res.writeHead(200, {
    "content-type": "application/json",
    "content-length": text.length,
    "x-request-id": requestId,
  });
  res.write(text.subarray(0, Math.min(step.bytes ?? 64, text.length - 1)));
  stalled.add(res);
  res.once("close", () => stalled.delete(res));
}

function waitUnlessClosed(res: ServerResponse, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      res.off("close", onClose);
      resolve(false);
    }, ms);
    const onClose = () => {
      clearTimeout(timer);
      resolve(true);
    };
    res.once("close", onClose);
  });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : {};
  } catch {
    return {};
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}
