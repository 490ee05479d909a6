/**
 * The streaming loop of validate-batch: one line in, one result line out, in input order. Nothing is
 * kept per line: results are gathered into a small text buffer that is flushed through `write` (which
 * applies the output stream's backpressure), so memory stays flat whatever the size of the input.
 */
import type { ValidationOutcome } from "../../app/validation-types.js";
import { isStructregError } from "../../core/errors.js";
import { type BatchInput, classifyLine } from "./batch-line.js";
import { BatchTally } from "./batch-tally.js";
import { ResultSerializer } from "./result-line.js";

/** What the loop needs. */
export interface BatchRunOptions {
  /** The input's lines, without line breaks, a chunk of lines at a time (as `readLineChunks` reads them). */
  lines: AsyncIterable<readonly string[]>;
  /** Writes a chunk of result lines; resolves when the output can take more. */
  write: (chunk: string) => Promise<void>;
  /**
   * Validates one output (the validating client's `validateNow`, bound to a subject and version): the
   * outcome itself when it is ready at once (the common, accepted case), else a promise of it.
   */
  validate: (output: unknown, key: string) => ValidationOutcome | Promise<ValidationOutcome>;
  /**
   * Called after each chunk of lines (a read of the input, a few hundred lines) and at the end, with the
   * running tally: the progress display redraws at most ten times a second, so a call per line would only
   * cost a clock read each.
   */
  onProgress?: (tally: BatchTally) => void;
}

// Big enough that writes are few, small enough to be irrelevant to memory.
const FLUSH_AT = 64 * 1024;

/** Validates every line and writes one result per non-blank line; answers the tally. */
export async function runBatch(options: BatchRunOptions): Promise<BatchTally> {
  const tally = new BatchTally();
  let buffer = "";
  let lineNumber = 0;
  const serializer = new ResultSerializer();
  for await (const chunk of options.lines) {
    for (const text of chunk) {
      lineNumber += 1;
      const input = classifyLine(text);
      if (input.kind === "blank") tally.blank += 1;
      else if (input.kind === "malformed") buffer += malformedResult(lineNumber, input, tally);
      else {
        const head = headOf(lineNumber, input.customId);
        // Lines without a key of their own are keyed by their number: a re-run makes the same rollout decisions.
        const key = input.key ?? `line:${lineNumber}`;
        let outcome: ValidationOutcome | undefined;
        try {
          // PERFORMANCE: most lines are answered synchronously; the rest take the line's only await, straight
          // on the validation (no wrapping async function).
          const answer = options.validate(input.output, key);
          outcome = answer instanceof Promise ? await answer : answer;
        } catch (err) {
          buffer += errorResult(head, err, tally);
        }
        if (outcome !== undefined) {
          if (outcome.ok) tally.accepted(outcome.track);
          else tally.rejected(outcome.reason);
          buffer += serializer.line(head, outcome, input.json);
        }
      }
      if (buffer.length >= FLUSH_AT) {
        await options.write(buffer);
        buffer = "";
      }
    }
    options.onProgress?.(tally);
  }
  if (buffer !== "") await options.write(buffer);
  return tally;
}

function headOf(lineNumber: number, customId: string | undefined): string {
  return `{"line":${lineNumber}${customId === undefined ? "" : `,"custom_id":${JSON.stringify(customId)}`}`;
}

function malformedResult(
  lineNumber: number,
  input: Extract<BatchInput, { kind: "malformed" }>,
  tally: BatchTally,
): string {
  tally.rejected("malformed_line");
  const head = headOf(lineNumber, input.customId);
  return `${head},"ok":false,"reason":"malformed_line","issues":[${issue("malformed_line", input.message)}]}\n`;
}

function errorResult(head: string, err: unknown, tally: BatchTally): string {
  tally.rejected("error");
  const code = isStructregError(err) ? err.code : "SR_INTERNAL";
  const message = err instanceof Error ? err.message : String(err);
  return `${head},"ok":false,"reason":"error","issues":[${issue(code, message)}]}\n`;
}

function issue(code: string, message: string): string {
  return JSON.stringify({ code, path: "", message });
}
