import type { Command } from "commander";
import {
  type CommandContext,
  clientFor,
  parseVersionArg,
  type ServerOptions,
  withServerOptions,
} from "../context.js";
import { EXIT } from "../exit-codes.js";
import { acceptedLine, printRejection, printRepairs } from "../outcome-output.js";
import { line, printJson } from "../output.js";
import { modelOutputFromText, readStdinText } from "../stdin-output.js";

interface ValidateOptions extends ServerOptions {
  version?: string;
  key?: string;
}

/** `structreg validate <subject>`: validate-and-parse of stdin on the registry; exit 1 when rejected. */
export function addValidateCommand(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command("validate")
    .description("validate-and-parse a model output (stdin) on the registry; bad cases are quarantined")
    .argument("<subject>", "subject name")
    .option("--version <n>", "pin the target version (default: the rollout decision, else latest)")
    .option("--key <key>", "context key (user or request id) for sticky rollout decisions");
  withServerOptions(cmd, ctx.io)
    .addHelpText(
      "after",
      "\nStdin may be the model's raw text or a whole Responses API response (JSON).\n" +
        "Data goes to stdout; the track, repairs, issues and quarantine id go to stderr.\n" +
        "\nExamples:\n  $ structreg validate support-ticket-triage < output.txt\n" +
        "  $ structreg validate support-ticket-triage --version 2 --key user-42 --json < output.txt",
    )
    .action(async (subject: string, options: ValidateOptions) => {
      const { io } = ctx;
      const version = options.version === undefined ? undefined : parseVersionArg(options.version, false);
      const output = modelOutputFromText(await readStdinText(io));
      const outcome = await clientFor(options).validate(subject, {
        output,
        ...(typeof version === "number" ? { version } : {}),
        ...(options.key === undefined ? {} : { key: options.key }),
      });
      if (!outcome.ok) ctx.exitCode = EXIT.REJECTED;
      if (options.json === true) return printJson(io.stdout, outcome);
      if (outcome.ok) {
        line(io.stdout, JSON.stringify(outcome.data, null, 2));
        line(io.stderr, acceptedLine(outcome));
        printRepairs(io.stderr, outcome.repairs);
        return;
      }
      printRejection(io.stderr, `${outcome.reason} (version ${outcome.version})`, outcome.issues);
      printRepairs(io.stderr, outcome.repairs);
      if (outcome.quarantineId !== undefined) line(io.stderr, `quarantined as id ${outcome.quarantineId}`);
    });
}
