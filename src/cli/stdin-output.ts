import { isResponsesObject } from "../core/parse/responses.js";
import type { CliIO } from "./io.js";

/** Reads all of stdin as text (UTF-8). */
export async function readStdinText(io: CliIO): Promise<string> {
  let text = "";
  const decoder = new TextDecoder();
  for await (const chunk of io.stdin) {
    text += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}

/**
 * What a command validates for text read from stdin: a whole Responses API response (JSON with
 * `object: "response"`) is handed over parsed, so its refusal, status and `output_text` are read; any
 * other text is the model's raw output, handed over as is (so the strict and tolerant tracks see exactly
 * what the model wrote).
 */
export function modelOutputFromText(text: string): unknown {
  // Only a JSON object can be a response: skip the parse for everything else.
  if (!text.trimStart().startsWith("{") || !text.includes('"response"')) return text;
  try {
    const value: unknown = JSON.parse(text);
    return isResponsesObject(value) ? value : text;
  } catch {
    return text;
  }
}
