/**
 * `structreg batch prepare <subject> <inputs.jsonl>`: an OpenAI Batch API request file for the subject's
 * version, one `{custom_id, method: "POST", url: "/v1/responses", body: {model, input, text: {format}}}` per
 * input line, with the version's provider-form schema as a strict `json_schema` format. Its output file is
 * what `structreg validate-batch <subject> <output> --version N` reads (custom_id becomes the context key).
 */
import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { finished } from "node:stream/promises";
import type { Command } from "commander";
import { DEFAULT_OPENAI_CONFIG } from "../../adapters/openai/openai-config.js";
import { buildTextFormat, type JsonSchemaTextFormat } from "../../app/generation-format.js";
import { StructregError } from "../../core/errors.js";
import { isJsonObject, type JsonValue } from "../../core/json.js";
import {
  type CommandContext,
  clientFor,
  parseVersionArg,
  type ServerOptions,
  withServerOptions,
} from "../context.js";
import type { Writable } from "../io.js";
import { line, printJson } from "../output.js";
import { writeChunk } from "../sink.js";

/** The Batch API's limit of requests per input file. */
export const MAX_BATCH_REQUESTS = 50_000;

interface PrepareOptions extends ServerOptions {
  out?: string;
  model?: string;
  version?: string;
  instructions?: string;
}

/** One line of an input file, read. */
export interface PreparedInput {
  customId: string;
  input: JsonValue;
  instructions?: string;
  maxOutputTokens?: number;
}

/** `structreg batch prepare`. */
export function addBatchCommand(program: Command, ctx: CommandContext): void {
  const batch = program.command("batch").description("OpenAI Batch API files for a subject's schema");
  const prepare = batch
    .command("prepare")
    .description("write a Batch API request file (/v1/responses, strict json_schema) for a subject's version")
    .argument("<subject>", "subject name")
    .argument(
      "<inputs>",
      'JSONL: a string per line, or {"input", "custom_id"?, "instructions"?, "max_output_tokens"?}',
    )
    .option("--out <file>", "request file to write (default: stdout)")
    .option("--model <model>", "model of every request (env STRUCTREG_OPENAI_MODEL)")
    .option("--version <n>", "the version whose schema is sent (default: latest)")
    .option("--instructions <text>", "instructions for lines that carry none");
  withServerOptions(prepare, ctx.io)
    .addHelpText(
      "after",
      "\nExamples:\n  $ structreg batch prepare invoice inputs.jsonl --out requests.jsonl\n" +
        "  $ structreg validate-batch invoice batch_output.jsonl --version 3   # the version prepare reported",
    )
    .action(async (subject: string, inputs: string, options: PrepareOptions) => {
      const client = clientFor(options);
      const version =
        options.version === undefined
          ? (await client.getVersion(subject, "latest")).version
          : (parseVersionArg(options.version, false) as number);
      const format = buildTextFormat(subject, version, await client.getProviderSchema(subject, version));
      const model =
        options.model ?? nonEmpty(ctx.io.env.STRUCTREG_OPENAI_MODEL) ?? DEFAULT_OPENAI_CONFIG.model;
      const defaults = { model, format, instructions: options.instructions };
      const count = await prepareFile(ctx, subject, inputs, options.out, defaults);
      const report = { subject, version, model, requests: count, out: options.out ?? null };
      const summaryOut = options.out === undefined ? ctx.io.stderr : ctx.io.stdout;
      if (options.json === true) return printJson(summaryOut, report);
      line(
        summaryOut,
        `wrote ${count} requests for ${subject} v${version} (${model})${options.out ? ` to ${options.out}` : ""}`,
      );
      line(
        summaryOut,
        `validate the output with: structreg validate-batch ${subject} <output.jsonl> --version ${version}`,
      );
    });
}

interface RequestDefaults {
  model: string;
  format: JsonSchemaTextFormat;
  instructions: string | undefined;
}

async function prepareFile(
  ctx: CommandContext,
  subject: string,
  inputs: string,
  out: string | undefined,
  defaults: RequestDefaults,
): Promise<number> {
  const stream = createReadStream(resolve(ctx.io.cwd, inputs));
  const opened = new Promise<void>((ok, fail) => {
    stream.once("open", () => ok());
    stream.once("error", (err) => fail(fileError("read", inputs, err)));
  });
  await opened;
  const file =
    out === undefined
      ? undefined
      : await openOut(resolve(ctx.io.cwd, out), out).catch((err: unknown) => {
          stream.destroy();
          throw err;
        });
  // Created only now, right before iterating: lines read while nothing iterates would be lost.
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  const sink: Writable = file ?? ctx.io.stdout;
  try {
    const count = await writeRequests(lines, subject, defaults, sink);
    if (file !== undefined) {
      file.end();
      await finished(file).catch((err: unknown) => {
        throw fileError("write", out as string, err);
      });
    }
    return count;
  } finally {
    lines.close();
    stream.destroy();
    file?.destroy();
  }
}

async function writeRequests(
  lines: AsyncIterable<string>,
  subject: string,
  defaults: RequestDefaults,
  sink: Writable,
): Promise<number> {
  const seen = new Set<string>();
  let lineNumber = 0;
  for await (const text of lines) {
    lineNumber++;
    if (text.trim() === "") continue;
    const input = readInputLine(text, lineNumber, subject);
    if (seen.has(input.customId))
      throw usage(lineNumber, `duplicate custom_id ${JSON.stringify(input.customId)}`);
    seen.add(input.customId);
    if (seen.size > MAX_BATCH_REQUESTS)
      throw usage(lineNumber, `a batch holds at most ${MAX_BATCH_REQUESTS} requests`);
    await writeChunk(sink, `${JSON.stringify(batchRequestLine(input, defaults))}\n`);
  }
  return seen.size;
}

/** Reads one input line: a JSON string, or an object with `input` and optional fields. */
export function readInputLine(text: string, lineNumber: number, subject: string): PreparedInput {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw usage(lineNumber, "not JSON (write a JSON string or object per line)");
  }
  const fallbackId = `${subject}-${lineNumber}`;
  if (typeof value === "string") return { customId: fallbackId, input: value };
  if (!isJsonObject(value) || value.input === undefined) {
    throw usage(lineNumber, 'expected a string or an object with "input"');
  }
  const out: PreparedInput = { customId: fallbackId, input: value.input };
  const { custom_id: customId, instructions, max_output_tokens: maxTokens } = value;
  if (customId !== undefined) {
    if (typeof customId !== "string" || customId === "")
      throw usage(lineNumber, '"custom_id" must be a non-empty string');
    out.customId = customId;
  }
  if (instructions !== undefined) {
    if (typeof instructions !== "string") throw usage(lineNumber, '"instructions" must be a string');
    out.instructions = instructions;
  }
  if (maxTokens !== undefined) {
    if (!Number.isInteger(maxTokens) || (maxTokens as number) < 16) {
      throw usage(lineNumber, '"max_output_tokens" must be an integer ≥ 16');
    }
    out.maxOutputTokens = maxTokens as number;
  }
  return out;
}

/** The Batch API request line for one input. */
export function batchRequestLine(input: PreparedInput, defaults: RequestDefaults): Record<string, unknown> {
  const body: Record<string, unknown> = { model: defaults.model, input: input.input };
  const instructions = input.instructions ?? defaults.instructions;
  if (instructions !== undefined) body.instructions = instructions;
  if (input.maxOutputTokens !== undefined) body.max_output_tokens = input.maxOutputTokens;
  body.text = { format: defaults.format };
  return { custom_id: input.customId, method: "POST", url: "/v1/responses", body };
}

async function openOut(path: string, name: string): Promise<WriteStream> {
  const stream = createWriteStream(path);
  await new Promise<void>((ok, fail) => {
    stream.once("open", () => ok());
    stream.once("error", (err) => fail(fileError("write", name, err)));
  });
  return stream;
}

function usage(lineNumber: number, message: string): StructregError {
  return new StructregError("SR_USAGE", `inputs line ${lineNumber}: ${message}`);
}

function fileError(verb: "read" | "write", name: string, err: unknown): StructregError {
  const reason =
    err instanceof Error && "code" in err ? String((err as NodeJS.ErrnoException).code) : String(err);
  return new StructregError("SR_FILE_ACCESS", `cannot ${verb} ${name}: ${reason}`, { cause: err });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}
