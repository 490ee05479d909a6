import { once } from "node:events";
import type { WriteStream } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { open } from "node:fs/promises";
import { resolve } from "node:path";
import type { Command } from "commander";
import { createValidatingClient } from "../../client/validating-client.js";
import { StructregError } from "../../core/errors.js";
import { type BatchSummary, rateOf, summaryRows } from "../batch/batch-tally.js";
import { readLineChunks } from "../batch/line-splitter.js";
import { createProgress } from "../batch/progress.js";
import { type BatchRunOptions, runBatch } from "../batch/run-batch.js";
import { type CommandContext, parseVersionArg, type ServerOptions, withServerOptions } from "../context.js";
import { EXIT } from "../exit-codes.js";
import type { Writable } from "../io.js";
import { line, printJson, printTable } from "../output.js";
import { writeChunk } from "../sink.js";

/**
 * Output buffered before `write` asks the producer to wait: big enough that validation keeps running while
 * the previous chunk goes to disk (fs's 16 KiB default stalls on every chunk), small enough to be irrelevant.
 */
const OUT_BUFFER_BYTES = 1024 * 1024;

interface BatchOptions extends ServerOptions {
  out?: string;
  version?: string;
}

/** `structreg validate-batch <subject> <file.jsonl>`: in-process validation of a JSONL file, streamed. */
export function addValidateBatchCommand(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command("validate-batch")
    .description("validate every line of a JSONL file in-process (schemas fetched once), streaming results")
    .argument("<subject>", "subject name")
    .argument("<file>", "JSONL: raw text, {output, key} objects, or OpenAI Batch API output lines")
    .option("--out <file>", "write one result per line here (default: stdout)")
    .option("--version <n>", "pin the target version (default: latest)");
  withServerOptions(cmd, ctx.io)
    .addHelpText(
      "after",
      "\nResults keep the input's line number and the Batch API custom_id. The summary table goes to\n" +
        "stdout with --out, else to stderr. Exit 0 when every line passed, 1 when any failed.\n" +
        "\nExamples:\n  $ structreg validate-batch ticket batch_output.jsonl --out results.jsonl\n" +
        "  $ structreg validate-batch ticket outputs.jsonl --version 3 | jq 'select(.ok == false)'",
    )
    .action(async (subject: string, file: string, options: BatchOptions) => {
      const version =
        options.version === undefined ? undefined : (parseVersionArg(options.version, false) as number);
      const summary = await validateBatch(ctx, subject, file, options, version);
      if (summary.failed > 0) ctx.exitCode = EXIT.REJECTED;
      const out = options.out === undefined ? ctx.io.stderr : ctx.io.stdout;
      if (options.json === true) return printJson(out, summary);
      printSummary(out, summary);
    });
}

async function validateBatch(
  ctx: CommandContext,
  subject: string,
  file: string,
  options: BatchOptions,
  version: number | undefined,
): Promise<BatchSummary> {
  const client = createValidatingClient({ url: options.url, token: options.token });
  try {
    // Fetch and compile before reading a line: an unknown subject or version fails the command, not each line.
    await client.parser(subject, version);
    const validate = (value: unknown, key: string | undefined) =>
      client.validateNow(subject, value, { version, key });
    const input = await openInput(resolve(ctx.io.cwd, file), file);
    try {
      const check = { validate };
      if (options.out === undefined) return await streamLines(ctx, input, file, ctx.io.stdout, check);
      const output = await openOutput(resolve(ctx.io.cwd, options.out), options.out);
      try {
        const summary = await streamLines(ctx, input, file, output.stream, check);
        await finishOutput(output.stream, options.out);
        return summary;
      } finally {
        output.stream.destroy();
        await output.handle.close();
      }
    } finally {
      await input.handle.close();
    }
  } finally {
    await client.close();
  }
}

async function streamLines(
  ctx: CommandContext,
  input: { handle: FileHandle; size: number },
  name: string,
  out: Writable,
  check: Pick<BatchRunOptions, "validate">,
): Promise<BatchSummary> {
  const started = performance.now();
  const stream = input.handle.createReadStream({ highWaterMark: 256 * 1024, autoClose: false });
  const progress = createProgress({
    out: ctx.io.stderr,
    tty: isTTY(ctx.io.stderr),
    now: () => performance.now(),
  });
  const state = (t: { lines: number; failed: number }) => ({
    lines: t.lines,
    failed: t.failed,
    bytesRead: stream.bytesRead,
    totalBytes: input.size,
  });
  // The stream's iterator reads at most one chunk ahead: the file is read as fast as it is validated.
  const lines = readLineChunks(stream);
  let readError: unknown;
  stream.once("error", (err) => {
    readError = err;
  });
  try {
    const tally = await runBatch({
      lines,
      write: (chunk) => writeChunk(out, chunk),
      ...check,
      onProgress: (t) => progress.update(() => state(t)),
    });
    progress.finish();
    return tally.summary(performance.now() - started);
  } catch (err) {
    // A read error mid-way is a typed error, not a stack trace.
    throw readError === undefined ? err : fileError("read", name, readError);
  } finally {
    stream.destroy();
  }
}

async function openInput(path: string, name: string): Promise<{ handle: FileHandle; size: number }> {
  let handle: FileHandle;
  try {
    handle = await open(path, "r");
  } catch (err) {
    throw fileError("read", name, err);
  }
  const stat = await handle.stat();
  if (!stat.isFile()) {
    await handle.close();
    throw new StructregError("SR_FILE_ACCESS", `cannot read ${name}: not a regular file`);
  }
  return { handle, size: stat.size };
}

async function openOutput(path: string, name: string): Promise<{ handle: FileHandle; stream: WriteStream }> {
  let handle: FileHandle;
  try {
    handle = await open(path, "w");
  } catch (err) {
    throw fileError("write", name, err);
  }
  return { handle, stream: handle.createWriteStream({ autoClose: false, highWaterMark: OUT_BUFFER_BYTES }) };
}

async function finishOutput(stream: WriteStream, name: string): Promise<void> {
  stream.end();
  try {
    await once(stream, "finish");
  } catch (err) {
    throw fileError("write", name, err);
  }
}

function fileError(verb: "read" | "write", name: string, err: unknown): StructregError {
  const reason = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
  return new StructregError("SR_FILE_ACCESS", `cannot ${verb} ${name}: ${reason}`, { cause: err });
}

function isTTY(out: Writable): boolean {
  return (out as { isTTY?: boolean }).isTTY === true;
}

function printSummary(out: Writable, summary: BatchSummary): void {
  printTable(out, summaryRows(summary));
  const rate = Math.round(rateOf(summary.lines, summary.elapsedMs));
  const blank = summary.blank > 0 ? `, ${summary.blank} blank skipped` : "";
  line(out, `${summary.lines} lines in ${(summary.elapsedMs / 1000).toFixed(1)} s (${rate} lines/s)${blank}`);
}
