import { type Command, Option } from "commander";
import { StructregError } from "../../core/errors.js";
import { REGISTRY_MODES } from "../../core/model.js";
import { type CommandContext, clientFor, type ServerOptions, withServerOptions } from "../context.js";
import { line, printJson } from "../output.js";

interface ModeOptions extends ServerOptions {
  set?: string;
  force?: boolean;
  delete?: boolean;
}

/** `structreg mode [subject]`: shows, sets (`--set`) or removes (`--delete`) the global or a subject's mode. */
export function addModeCommand(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command("mode")
    .description(
      "show or set the registry mode: READWRITE, READONLY, READONLY_OVERRIDE or IMPORT (global or per subject)",
    )
    .argument("[subject]", "subject name (omit for the global mode)")
    .addOption(new Option("--set <mode>", "set the mode").choices(REGISTRY_MODES))
    .option("--force", "with --set IMPORT: enter IMPORT although the registry (or subject) has versions")
    .option("--delete", "remove the subject's own mode (it falls back to the global one)");
  withServerOptions(cmd, ctx.io)
    .addHelpText(
      "after",
      "\nExamples:\n  $ structreg mode\n  $ structreg mode --set READONLY\n" +
        "  $ structreg mode invoice --set IMPORT --force\n  $ structreg mode invoice --delete",
    )
    .action(async (subject: string | undefined, options: ModeOptions) => {
      const client = clientFor(options);
      const answer = await runMode(client, subject, options);
      if (options.json === true) return printJson(ctx.io.stdout, answer);
      const scope = subject === undefined ? "global" : subject;
      const verb = options.delete === true ? "removed" : options.set !== undefined ? "set" : "mode";
      line(
        ctx.io.stdout,
        verb === "mode" ? `${scope} mode ${answer.mode}` : `${scope} mode ${answer.mode} ${verb}`,
      );
    });
}

function runMode(client: ReturnType<typeof clientFor>, subject: string | undefined, options: ModeOptions) {
  if (options.delete === true) {
    if (subject === undefined || options.set !== undefined) {
      throw new StructregError("SR_USAGE", "--delete needs a subject and no --set", {
        hint: "structreg mode <subject> --delete",
      });
    }
    return client.deleteMode(subject);
  }
  if (options.set === undefined) {
    if (options.force === true) {
      throw new StructregError("SR_USAGE", "--force goes with --set", {
        hint: "structreg mode --set IMPORT --force",
      });
    }
    return client.getMode(subject);
  }
  return client.setMode(subject, options.set, { force: options.force === true });
}
