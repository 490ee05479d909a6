import { Argument, type Command } from "commander";
import type { VersionState } from "../../core/model.js";
import { VERSION_STATES } from "../../core/model.js";
import {
  type CommandContext,
  clientFor,
  parseVersionArg,
  type ServerOptions,
  withServerOptions,
} from "../context.js";
import { line, printJson } from "../output.js";

/** `structreg state <subject> <version> <STATE>`: enables, deprecates or disables a version. */
export function addStateCommand(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command("state")
    .description("set a version's state: ENABLED, DEPRECATED or DISABLED (skipped by latest and checks)")
    .argument("<subject>", "subject name")
    .argument("<version>", "version number")
    .addArgument(new Argument("<state>", "new state").choices(VERSION_STATES));
  withServerOptions(cmd, ctx.io)
    .addHelpText("after", "\nExamples:\n  $ structreg state sentiment 1 DEPRECATED")
    .action(async (subject: string, rawVersion: string, state: VersionState, options: ServerOptions) => {
      const version = parseVersionArg(rawVersion, false) as number;
      const view = await clientFor(options).setVersionState(subject, version, state);
      if (options.json === true) return printJson(ctx.io.stdout, view);
      line(ctx.io.stdout, `${subject} version ${version} is now ${view.state ?? state}`);
    });
}
