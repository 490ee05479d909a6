import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { addBatchCommand } from "./commands/batch.js";
import { addCheckCommand } from "./commands/check.js";
import { addConfigCommand } from "./commands/config.js";
import { addDeleteCommand } from "./commands/delete.js";
import { addDiffCommand } from "./commands/diff.js";
import { addExportCommand } from "./commands/export.js";
import { addGenerateCommand } from "./commands/generate.js";
import { addImportCommand } from "./commands/import.js";
import { addLintCommand } from "./commands/lint.js";
import { addModeCommand } from "./commands/mode.js";
import { addParseCommand } from "./commands/parse.js";
import { addQuarantineCommand } from "./commands/quarantine.js";
import { addReadCommands } from "./commands/read.js";
import { addRegisterCommand } from "./commands/register.js";
import { addRolloutCommand } from "./commands/rollout.js";
import { addServeCommand } from "./commands/serve.js";
import { addStateCommand } from "./commands/state.js";
import { addSyncCommand } from "./commands/sync.js";
import { addValidateCommand } from "./commands/validate.js";
import { addValidateBatchCommand } from "./commands/validate-batch.js";
import type { CommandContext } from "./context.js";
import { EXIT } from "./exit-codes.js";
import { type CliIO, processIO } from "./io.js";
import { line, reportError } from "./output.js";

export type { CliIO } from "./io.js";

const EXAMPLES = `
Examples:
  $ structreg serve                                   run the registry on http://127.0.0.1:8080
  $ structreg sync ./schemas                          publish schemas/<subject>/v<N>.json
  $ structreg check ticket-triage ./next.json         would this register? (exit 1 if not)
  $ structreg register ticket-triage ./next.json      publish the next version
  $ structreg diff v1.json v2.json --level FULL       offline compatibility diff
  $ structreg lint schema.json                        offline OpenAI strict-mode lint
  $ structreg get ticket-triage latest --provider     the schema as sent to OpenAI
  $ structreg parse --schema v2.json < output.txt     offline validate-and-parse of a model output
  $ structreg validate-batch ticket-triage out.jsonl  validate a JSONL file in-process
  $ structreg import --from http://confluent:8081 --dry-run   plan a migration from another registry

Server commands use --url (env STRUCTREG_URL, default http://127.0.0.1:8080) and --token (env STRUCTREG_TOKEN).
Exit codes: 0 ok, 1 rejected, 2 usage, 3 not found, 4 auth, 69 unavailable, 70 internal, 73 data dir locked, 78 config, 130 interrupted.`;

/** Runs the CLI with `argv` (without node and script) and returns the exit code; never calls process.exit. */
export async function main(argv: string[], io: Partial<CliIO> = {}): Promise<number> {
  const ctx: CommandContext = { io: { ...processIO(), ...io }, exitCode: EXIT.OK };
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv, { from: "user" });
    return ctx.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) return reportUsageError(ctx, err);
    return reportError(ctx.io, err);
  }
}

/** The commander program; built per run because commander keeps parse state on the instance. */
function buildProgram(ctx: CommandContext): Command {
  const { io } = ctx;
  const program = new Command("structreg")
    .description("Schema registry and validator for LLM structured outputs")
    .version(readVersion(), "-V, --version")
    // Program options only before the command name: `validate --version 2` is the command's own option.
    .enablePositionalOptions()
    // Inherited by every subcommand added below: errors come back to main() instead of exiting.
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: () => {}, // reportUsageError prints it in the `error SR_CODE: message` form
    })
    .showSuggestionAfterError()
    .addHelpText("after", EXAMPLES);
  addServeCommand(program, ctx);
  addRegisterCommand(program, ctx);
  addCheckCommand(program, ctx);
  addSyncCommand(program, ctx);
  addDiffCommand(program, ctx);
  addLintCommand(program, ctx);
  addReadCommands(program, ctx);
  addConfigCommand(program, ctx);
  addModeCommand(program, ctx);
  addDeleteCommand(program, ctx);
  addStateCommand(program, ctx);
  addRolloutCommand(program, ctx);
  addParseCommand(program, ctx);
  addValidateCommand(program, ctx);
  addGenerateCommand(program, ctx);
  addValidateBatchCommand(program, ctx);
  addQuarantineCommand(program, ctx);
  addBatchCommand(program, ctx);
  addImportCommand(program, ctx);
  addExportCommand(program, ctx);
  return program;
}

// Commander signals help and --version as errors too when exitOverride is on: those are successes.
const SUCCESS_CODES = new Set(["commander.helpDisplayed", "commander.version", "commander.help"]);

function reportUsageError(ctx: CommandContext, err: CommanderError): number {
  if (SUCCESS_CODES.has(err.code) && err.exitCode === 0) return EXIT.OK;
  // `structreg` alone prints help to stderr and reports commander.help with exit code 1: a usage error.
  if (err.code === "commander.help") return EXIT.USAGE;
  line(ctx.io.stderr, `error SR_USAGE: ${err.message.replace(/^error: /, "")}`);
  line(ctx.io.stderr, "hint: run `structreg --help` or `structreg <command> --help`");
  return EXIT.USAGE;
}

function readVersion(): string {
  // src/cli and dist/cli are both two levels below package.json.
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}
