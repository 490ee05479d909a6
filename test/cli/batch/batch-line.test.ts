import { describe, expect, test } from "vitest";
import { classifyLine } from "../../../src/cli/batch/batch-line.js";

const RESPONSE = { object: "response", status: "completed", output_text: "{}" };

describe("classifyLine", () => {
  test.each([
    ["an empty line", ""],
    ["a line of spaces and tabs", " \t "],
  ])("skips %s as blank", (_name, text) => {
    expect(classifyLine(text)).toEqual({ kind: "blank" });
  });

  test.each([
    ["prose", "The answer is yes", "The answer is yes"],
    ["broken JSON", '{"a": 1,', '{"a": 1,'],
    ["a fenced block", "```json {} ```", "```json {} ```"],
    ["a JSON string literal (decoded)", '"{\\"a\\":1}"', '{"a":1}'],
    ["an unterminated string literal (kept as written)", '"abc', '"abc'],
  ])("reads %s as the model's raw text", (_name, text, output) => {
    expect(classifyLine(text)).toMatchObject({ kind: "output", output });
  });

  test.each([
    ["an object without output or custom_id", '{"a":1}', { a: 1 }],
    ["an array", "[1,2]", "[1,2]"],
    ["a number", "42", "42"],
  ])("hands %s over as the output, with the line as its JSON text", (_name, text, output) => {
    expect(classifyLine(text)).toEqual({ kind: "output", output, json: text });
  });

  test.each([
    ["a raw line", '{"a":1}', '{"a":1}'],
    ["a string literal line", '"{\\"a\\":1}"', '{"a":1}'],
    ["a wrapper with text", JSON.stringify({ output: '{"a":1}' }), '{"a":1}'],
    ["a wrapper with a parsed value", JSON.stringify({ output: { a: 1 } }), '{"a":1}'],
    [
      "a wrapper with a spaced parsed value",
      '{ "key": "k", "output" : { "a" : [1, "}"] } }',
      '{ "a" : [1, "}"] }',
    ],
    [
      "a wrapper with a parsed Responses response (its text is read, not the object)",
      JSON.stringify({ output: RESPONSE }),
      undefined,
    ],
    ["a text holding a line break", JSON.stringify({ output: '{\n"a":1}' }), undefined],
  ])("keeps the JSON text of %s for the results when it fits on one line", (_name, text, json) => {
    expect((classifyLine(text) as { json?: string }).json).toBe(json);
  });

  test("reads an {output, key} wrapper", () => {
    expect(classifyLine(JSON.stringify({ output: "x", key: "k" }))).toEqual({
      kind: "output",
      output: "x",
      key: "k",
      json: "x",
    });
    expect(classifyLine(JSON.stringify({ output: { a: 1 }, key: null }))).toEqual({
      kind: "output",
      output: { a: 1 },
      json: '{"a":1}',
    });
  });

  test("reads a bare Responses API response line as a response, not as a wrapper of its output items", () => {
    const line = JSON.stringify({ ...RESPONSE, output: [{ type: "message", content: [] }] });
    expect(classifyLine(line)).toEqual({ kind: "output", output: JSON.parse(line) });
  });

  test("keeps a __proto__ key of a line as plain data", () => {
    const input = classifyLine('{"output":{"__proto__":{"polluted":true}}}');
    expect(input.kind).toBe("output");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test.each([
    ["a wrapper whose key is not a string", { output: "x", key: 1 }, '"key" must be a string'],
    [
      "a Batch line whose custom_id is not a string",
      { custom_id: 1, response: {} },
      '"custom_id" must be a string',
    ],
    [
      "a Batch line without response or error",
      { custom_id: "c", response: null, error: null },
      '"response" must be an object when "error" is null',
    ],
    [
      "a Batch line whose body is not a response",
      { custom_id: "c", response: { status_code: 200, body: { a: 1 } }, error: null },
      '"response.body" is not a Responses API response',
    ],
  ])("reports %s as malformed", (_name, line, message) => {
    expect(classifyLine(JSON.stringify(line))).toMatchObject({ kind: "malformed", message });
  });

  test("reads a Batch API line's Responses body, keeping custom_id as the context key", () => {
    const line = {
      id: "b1",
      custom_id: "req-1",
      response: { status_code: 200, request_id: "r", body: RESPONSE },
      error: null,
    };
    expect(classifyLine(JSON.stringify(line))).toEqual({
      kind: "output",
      output: RESPONSE,
      customId: "req-1",
      key: "req-1",
      json: "{}",
    });
  });

  test.each([
    [
      "a line-level error",
      { custom_id: "c", response: null, error: { code: "expired" } },
      { code: "expired" },
    ],
    [
      "a non-200 response",
      {
        custom_id: "c",
        response: { status_code: 429, body: { error: { code: "rate_limit" } } },
        error: null,
      },
      { code: "rate_limit" },
    ],
    [
      "a non-200 response without a body",
      { custom_id: "c", response: { status_code: 500 }, error: null },
      { code: "http_500" },
    ],
  ])("turns %s into a failed response", (_name, line, error) => {
    expect(classifyLine(JSON.stringify(line))).toMatchObject({
      kind: "output",
      customId: "c",
      output: { object: "response", status: "failed", error },
    });
  });

  test.each([
    [
      "content",
      { message: { content: "{}" }, finish_reason: "stop" },
      { status: "completed" },
      { type: "output_text", text: "{}" },
    ],
    [
      "a refusal",
      { message: { content: null, refusal: "no" }, finish_reason: "stop" },
      { status: "completed" },
      { type: "refusal", refusal: "no" },
    ],
    [
      "a cut-off answer",
      { message: { content: '{"a":' }, finish_reason: "length" },
      { status: "incomplete", incomplete_details: { reason: "max_output_tokens" } },
      { type: "output_text", text: '{"a":' },
    ],
  ])("reads a Chat Completions body with %s", (_name, choice, fields, part) => {
    const body = { object: "chat.completion", choices: [choice] };
    const input = classifyLine(
      JSON.stringify({ custom_id: "c", response: { status_code: 200, body }, error: null }),
    );
    expect(input).toMatchObject({
      kind: "output",
      output: { object: "response", ...fields, output: [{ content: [part] }] },
    });
  });
});
