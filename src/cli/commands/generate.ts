import type { Command } from "commander";
import type { GenerationOutcome } from "../../app/generation-types.js";
import type { GenerateBody, RegistryClient } from "../../client/http-client.js";
import { StructregError } from "../../core/errors.js";
import {
  type CommandContext,
  clientFor,
  parseVersionArg,
  type ServerOptions,
  withServerOptions,
} from "../context.js";
import { EXIT } from "../exit-codes.js";
import type { Writable } from "../io.js";
import { acceptedLine, printRejection, printRepairs } from "../outcome-output.js";
import { line, printJson } from "../output.js";
import { readStdinText } from "../stdin-output.js";

interface GenerateOptions extends ServerOptions {
  input?: string;
  version?: string;
  key?: string;
  model?: string;
  stream?: boolean;
}

/** `structreg generate <subject>`: the server calls OpenAI with the version's schema; `--stream` shows partials. */
export function addGenerateCommand(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command("generate")
    .description("generate a structured output with OpenAI on the registry and validate it")
    .argument("<subject>", "subject name")
    .option("--input <text>", "the model input (default: stdin)")
    .option("--version <n>", "pin the target version (default: the rollout decision, else latest)")
    .option("--key <key>", "context key (user or request id) for sticky rollout decisions")
    .option("--model <model>", "model (default: the subject's, else the server's)")
    .option("--stream", "stream: print each partial value on stderr as it forms");
  withServerOptions(cmd, ctx.io)
    .addHelpText(
      "after",
      "\nData goes to stdout; partials (with --stream), the track, repairs and issues go to stderr.\n" +
        "With --json, stdout gets the outcome (and with --stream every event) as JSON lines.\n" +
        '\nExamples:\n  $ structreg generate invoice-extraction --input "Invoice 42, 99.50 EUR" --stream',
    )
    .action(async (subject: string, options: GenerateOptions) => {
      const { io } = ctx;
      const body = await requestBody(options, () => readStdinText(io));
      const client = clientFor(options);
      const outcome =
        options.stream === true
          ? await streamed(client, subject, body, io.stdout, io.stderr, options.json === true)
          : await client.generate(subject, body);
      if (!outcome.ok) ctx.exitCode = EXIT.REJECTED;
      if (options.json === true) return options.stream === true ? undefined : printJson(io.stdout, outcome);
      printOutcome(io.stdout, io.stderr, outcome);
    });
}

async function requestBody(options: GenerateOptions, stdin: () => Promise<string>): Promise<GenerateBody> {
  const input = options.input ?? (await stdin());
  if (input.trim() === "") throw new StructregError("SR_USAGE", "no input: pass --input or pipe it on stdin");
  const version = options.version === undefined ? undefined : parseVersionArg(options.version, false);
  return {
    input,
    ...(typeof version === "number" ? { version } : {}),
    ...(options.key === undefined ? {} : { key: options.key }),
    ...(options.model === undefined ? {} : { model: options.model }),
  };
}

/** Prints partials as they arrive; answers the outcome event's body. */
async function streamed(
  client: RegistryClient,
  subject: string,
  body: GenerateBody,
  stdout: Writable,
  stderr: Writable,
  json: boolean,
): Promise<GenerationOutcome> {
  for await (const event of await client.generateStream(subject, body)) {
    if (json) line(stdout, JSON.stringify(event));
    if (event.event === "outcome") return event.data as GenerationOutcome;
    if (!json && event.event === "partial") {
      line(stderr, `partial: ${JSON.stringify((event.data as { value?: unknown }).value)}`);
    }
  }
  throw new StructregError("SR_SERVER_UNREACHABLE", "the stream ended before its outcome");
}

function printOutcome(stdout: Writable, stderr: Writable, outcome: GenerationOutcome): void {
  if (outcome.ok) {
    line(stdout, JSON.stringify(outcome.data, null, 2));
    line(stderr, acceptedLine(outcome));
    printRepairs(stderr, outcome.repairs);
    return;
  }
  printRejection(stderr, `${outcome.reason} (version ${outcome.version})`, outcome.issues);
  if (outcome.quarantineId !== undefined) line(stderr, `quarantined as id ${outcome.quarantineId}`);
}
