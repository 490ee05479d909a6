/**
 * What one line of a validate-batch input holds. A line may be:
 * - a JSON string literal: the model's raw text, encoded;
 * - any text that is not JSON: the model's raw text as written (the tolerant track may repair it);
 * - `{"output": …, "key"?: "…"}`: the output (text, value or Responses API response) and a context key;
 * - a Responses API response object (`"object": "response"`), as a Responses API response;
 * - an OpenAI Batch API output line `{"id", "custom_id", "response": {"status_code", "request_id", "body"},
 *   "error"}` whose body is a Responses API response (or a Chat Completions one);
 * - any other JSON value: the model's output already parsed.
 * A line that claims to be a wrapper or a Batch line but breaks its shape is malformed: a failed result,
 * never a crash.
 */
import { isJsonObject, type JsonObject } from "../../core/json.js";
import { isResponsesObject } from "../../core/parse/responses.js";
import { memberValueSpan } from "./member-span.js";

/** A classified input line. */
export type BatchInput =
  | { kind: "blank" }
  | {
      kind: "output";
      output: unknown;
      key?: string;
      customId?: string;
      /**
       * Single-line JSON text whose `JSON.parse` is what the strict track would accept as the data (the
       * line itself, or the text inside it). A result can embed it instead of serialising the data again.
       */
      json?: string;
    }
  | { kind: "malformed"; message: string; customId?: string };

const BLANK: BatchInput = { kind: "blank" };

/** Classifies one line (without its line break). */
export function classifyLine(text: string): BatchInput {
  let i = 0;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  if (i === text.length) return BLANK;
  const first = text.charCodeAt(i);
  // Only `{` and `"` lines can be anything but raw text; everything else skips the JSON.parse.
  if (first !== 0x7b && first !== 0x22) return { kind: "output", output: text, json: text };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: "output", output: text, json: text };
  }
  if (typeof value === "string") return withJson({ kind: "output", output: value }, value);
  if (!isJsonObject(value)) return { kind: "output", output: value, json: text };
  if (
    Object.hasOwn(value, "custom_id") &&
    (Object.hasOwn(value, "response") || Object.hasOwn(value, "error"))
  ) {
    return fromBatchLine(value);
  }
  // A whole Responses API response (it has an `output` member too, but is no wrapper): its text is read.
  if (isResponsesObject(value)) return { kind: "output", output: value };
  if (Object.hasOwn(value, "output")) return fromWrapper(value, text);
  return { kind: "output", output: value, json: text };
}

/** Adds `json` when the text fits on one result line (JSON may hold raw line breaks as whitespace). */
function withJson(input: Extract<BatchInput, { kind: "output" }>, text: unknown): BatchInput {
  if (typeof text === "string" && !text.includes("\n") && !text.includes("\r")) input.json = text;
  return input;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a || c === 0xfeff;
}

function fromWrapper(line: JsonObject, text: string): BatchInput {
  const key = line.key;
  if (key !== undefined && key !== null && typeof key !== "string") {
    return { kind: "malformed", message: '"key" must be a string' };
  }
  const output = line.output;
  const input: BatchInput = { kind: "output", output };
  if (typeof key === "string") input.key = key;
  if (typeof output === "object" && output !== null && !isResponsesObject(output)) {
    // An already-parsed output: its own text in the line is what a strict result embeds.
    const span = memberValueSpan(text, "output");
    if (span !== undefined) input.json = text.slice(span.start, span.end);
    return input;
  }
  return withJson(input, output);
}

/** A Batch API output line: the custom_id is kept, and is the context key of the output. */
function fromBatchLine(line: JsonObject): BatchInput {
  const customId = line.custom_id;
  if (typeof customId !== "string") return { kind: "malformed", message: '"custom_id" must be a string' };
  const at = { customId, key: customId };
  if (line.error !== undefined && line.error !== null) {
    return { kind: "output", output: failedResponse(line.error), ...at };
  }
  const response = line.response;
  if (!isJsonObject(response)) {
    return { kind: "malformed", message: '"response" must be an object when "error" is null', customId };
  }
  const body = response.body;
  const status = response.status_code;
  if (status !== 200) {
    const error =
      isJsonObject(body) && body.error !== undefined ? body.error : { code: `http_${String(status)}` };
    return { kind: "output", output: failedResponse(error), ...at };
  }
  if (isJsonObject(body) && body.object === "response") {
    // The strict track reads a non-empty output_text when there is one (see normalizeModelOutput).
    const text = body.output_text;
    return withJson({ kind: "output", output: body, ...at }, text === "" ? undefined : text);
  }
  if (isJsonObject(body) && body.object === "chat.completion") {
    return { kind: "output", output: responseFromChatCompletion(body), ...at };
  }
  return { kind: "malformed", message: '"response.body" is not a Responses API response', customId };
}

/** A failed Responses object: validate-and-parse reports it as the `failed` outcome, not as a parse error. */
function failedResponse(error: unknown): JsonObject {
  return { object: "response", status: "failed", error: error as JsonObject, output: [] };
}

/**
 * The Batch API also runs Chat Completions: its first choice is read the way a Responses message is
 * (content, refusal, and `finish_reason: "length"` as an incomplete response).
 */
function responseFromChatCompletion(body: JsonObject): JsonObject {
  const choice = Array.isArray(body.choices) ? body.choices[0] : undefined;
  const message = isJsonObject(choice) && isJsonObject(choice.message) ? choice.message : {};
  const part =
    typeof message.refusal === "string" && message.refusal !== ""
      ? { type: "refusal", refusal: message.refusal }
      : { type: "output_text", text: typeof message.content === "string" ? message.content : "" };
  const finish = isJsonObject(choice) ? choice.finish_reason : undefined;
  const incomplete = finish === "length" || finish === "content_filter";
  return {
    object: "response",
    status: incomplete ? "incomplete" : "completed",
    incomplete_details: incomplete
      ? { reason: finish === "length" ? "max_output_tokens" : "content_filter" }
      : null,
    output: [{ type: "message", role: "assistant", content: [part] }],
  };
}
