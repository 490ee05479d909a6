/**
 * Normalising what a caller hands in as "model output": raw text, an already-parsed value, or a whole
 * OpenAI Responses API response object (SDK result or raw HTTP body: `output_text` is used when present,
 * else computed from `output[]` the way the SDK does).
 */
import { isJsonObject } from "../json.js";

/** Model output reduced to what the parser needs. */
export type ModelOutput =
  | { kind: "text"; text: string }
  | { kind: "value"; value: unknown }
  | { kind: "refusal"; refusal: string }
  | { kind: "incomplete"; reason: string; text: string }
  | { kind: "failed"; error: unknown };

/** True for a Responses API response object (`object: "response"`). */
export function isResponsesObject(input: unknown): input is Record<string, unknown> {
  return isJsonObject(input) && input.object === "response";
}

/**
 * Classifies model output. Strings are text; Responses objects become refusal, incomplete (with
 * `incomplete_details.reason`), failed (with `error`), or their text; anything else is a parsed value.
 * Statuses `cancelled`, `queued` and `in_progress` have no usable output and count as failed.
 */
export function normalizeModelOutput(input: unknown): ModelOutput {
  if (typeof input === "string") return { kind: "text", text: input };
  if (!isResponsesObject(input)) return { kind: "value", value: input };
  const status = input.status;
  if (status === "failed" || status === "cancelled" || status === "queued" || status === "in_progress") {
    return {
      kind: "failed",
      error: input.error ?? { code: status, message: `response status is ${status}` },
    };
  }
  const { text, refusal } = readOutput(input);
  if (status === "incomplete") {
    const details = input.incomplete_details;
    const reason = isJsonObject(details) && typeof details.reason === "string" ? details.reason : "unknown";
    return { kind: "incomplete", reason, text };
  }
  if (refusal !== undefined) return { kind: "refusal", refusal };
  return { kind: "text", text };
}

/** The output text (`output_text` if it is a non-empty string, else joined `output_text` parts) and any refusal. */
function readOutput(response: Record<string, unknown>): { text: string; refusal: string | undefined } {
  const texts: string[] = [];
  let refusal: string | undefined;
  const output = Array.isArray(response.output) ? response.output : [];
  for (const item of output) {
    if (!isJsonObject(item) || item.type !== "message" || !Array.isArray(item.content)) continue;
    for (const part of item.content) {
      if (!isJsonObject(part)) continue;
      if (part.type === "output_text" && typeof part.text === "string") texts.push(part.text);
      if (part.type === "refusal" && typeof part.refusal === "string")
        refusal = (refusal ?? "") + part.refusal;
    }
  }
  const given = response.output_text;
  const text = typeof given === "string" && given !== "" ? given : texts.join("");
  return { text, refusal };
}
