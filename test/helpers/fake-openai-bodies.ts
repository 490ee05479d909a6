/** The bodies the fake Responses API answers with: responses and errors in OpenAI's exact shapes. */
import type { ServerResponse } from "node:http";
import type { FakeStep } from "./fake-openai.js";

/** A Responses API body with the shape OpenAI answers (see REFERENCE.md). */
export function responseBody(request: Record<string, unknown>, step: FakeStep): Record<string, unknown> {
  const id = `resp_${Math.random().toString(16).slice(2, 14)}`;
  const content = contentOf(step);
  const status = step.kind === "incomplete" ? "incomplete" : step.kind === "failed" ? "failed" : "completed";
  const text = content.map((c) => (c.type === "output_text" ? c.text : "")).join("");
  const output =
    step.kind === "failed"
      ? []
      : [{ id: `msg_${id.slice(5)}`, type: "message", role: "assistant", status, content }];
  return {
    id,
    object: "response",
    created_at: Math.floor(Date.now() / 1000),
    status,
    error:
      step.kind === "failed"
        ? { code: step.code ?? "server_error", message: step.message ?? "The model failed." }
        : null,
    incomplete_details: step.kind === "incomplete" ? { reason: step.reason ?? "max_output_tokens" } : null,
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    model: typeof request.model === "string" ? `${request.model}-2025-04-14` : "gpt-4.1-mini-2025-04-14",
    output,
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    background: request.background === true,
    store: request.store !== false,
    temperature: 1,
    text: isObject(request.text) ? request.text : { format: { type: "text" } },
    tool_choice: "auto",
    tools: [],
    top_p: 1,
    truncation: "disabled",
    metadata: {},
    user: null,
    usage: {
      input_tokens: 37,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: Math.ceil(text.length / 4),
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 37 + Math.ceil(text.length / 4),
    },
  };
}

type ContentPart =
  | { type: "output_text"; text: string; annotations: []; logprobs: [] }
  | { type: "refusal"; refusal: string };

function contentOf(step: FakeStep): ContentPart[] {
  const part = (text: string): ContentPart => ({ type: "output_text", text, annotations: [], logprobs: [] });
  if (step.kind === "refusal") {
    return [{ type: "refusal", refusal: step.refusal ?? "I'm sorry, I can't help with that." }];
  }
  if (step.kind === "incomplete") return [part(step.text)];
  if (step.kind === "ok") return [part(step.text ?? JSON.stringify(step.output ?? {}))];
  return [part("{}")];
}

export function sendError(
  res: ServerResponse,
  requestId: string,
  step: Extract<FakeStep, { kind: "error" }>,
): void {
  const type =
    step.type ??
    (step.status === 429
      ? "rate_limit_exceeded"
      : step.status >= 500
        ? "server_error"
        : "invalid_request_error");
  const body = {
    error: {
      message: step.message ?? `fake error ${step.status}`,
      type,
      param: step.param ?? null,
      code: step.code === undefined ? (step.status === 429 ? "rate_limit_exceeded" : null) : step.code,
    },
  };
  for (const [name, value] of Object.entries(step.headers ?? {})) res.setHeader(name, value);
  sendJson(res, step.status, requestId, body);
}

export function sendJson(res: ServerResponse, status: number, requestId: string, body: unknown): void {
  if (res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "x-request-id": requestId,
    "openai-processing-ms": "12",
  });
  res.end(text);
}

/** OpenAI's 401 text: it quotes a masked fragment of the key it was sent. */
export function incorrectKeyMessage(key: string): string {
  const masked = `${key.slice(0, 8)}${"*".repeat(20)}${key.slice(-4)}`;
  return `Incorrect API key provided: ${masked}. You can find your API key at https://platform.openai.com/account/api-keys.`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
