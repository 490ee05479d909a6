import { describe, expect, test } from "vitest";
import { normalizeModelOutput } from "../../../src/core/parse/responses.js";

/** A Responses API body shaped like the real one (see REFERENCE.md), with overrides. */
function response(over: Record<string, unknown>, content: unknown[] = []): Record<string, unknown> {
  return {
    id: "resp_1",
    object: "response",
    created_at: 1_750_000_000,
    status: "completed",
    error: null,
    incomplete_details: null,
    model: "gpt-4.1-2025-04-14",
    output: [{ id: "msg_1", type: "message", role: "assistant", status: "completed", content }],
    parallel_tool_calls: true,
    text: { format: { type: "json_schema", name: "ticket", strict: true } },
    usage: { input_tokens: 10, output_tokens: 5, total_tokens: 15 },
    ...over,
  };
}
const textPart = (text: string) => ({ type: "output_text", text, annotations: [], logprobs: [] });

describe("normalizeModelOutput", () => {
  test("passes text through", () => {
    expect(normalizeModelOutput('{"a":1}')).toEqual({ kind: "text", text: '{"a":1}' });
  });

  test.each([{ a: 1 }, [1], 3, null, { object: "list" }])("treats %j as an already-parsed value", (value) => {
    expect(normalizeModelOutput(value)).toEqual({ kind: "value", value });
  });

  test("uses output_text when the SDK computed it", () => {
    expect(normalizeModelOutput(response({ output_text: '{"a":1}' }, [textPart("ignored")]))).toEqual({
      kind: "text",
      text: '{"a":1}',
    });
  });

  test("computes the text from output_text parts of message items, like the SDK", () => {
    const body = response({}, [textPart('{"a":'), textPart("1}")]);
    (body.output as unknown[]).unshift({ type: "reasoning", id: "rs_1", summary: [] });
    expect(normalizeModelOutput(body)).toEqual({ kind: "text", text: '{"a":1}' });
  });

  test("recognises a refusal content part", () => {
    const body = response({ output_text: "" }, [{ type: "refusal", refusal: "I can't help with that." }]);
    expect(normalizeModelOutput(body)).toEqual({ kind: "refusal", refusal: "I can't help with that." });
  });

  test("recognises an incomplete response with its reason and partial text", () => {
    const body = response({ status: "incomplete", incomplete_details: { reason: "max_output_tokens" } }, [
      textPart('{"a": [1, 2'),
    ]);
    expect(normalizeModelOutput(body)).toEqual({
      kind: "incomplete",
      reason: "max_output_tokens",
      text: '{"a": [1, 2',
    });
  });

  test("recognises a failed response with its error", () => {
    const error = { code: "server_error", message: "boom" };
    expect(normalizeModelOutput(response({ status: "failed", error, output: [] }))).toEqual({
      kind: "failed",
      error,
    });
  });

  test.each(["cancelled", "queued", "in_progress"])("treats status %s as failed", (status) => {
    expect(normalizeModelOutput(response({ status })).kind).toBe("failed");
  });
});
