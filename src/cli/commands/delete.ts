import type { Command } from "commander";
import {
  type CommandContext,
  clientFor,
  parseVersionArg,
  type ServerOptions,
  withServerOptions,
} from "../context.js";
import { line, printJson } from "../output.js";

/** `structreg delete <subject> [version]`: soft delete, or permanent delete after a soft one. */
export function addDeleteCommand(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command("delete")
    .description("soft-delete a subject or one version (--permanent after a soft delete)")
    .argument("<subject>", "subject name")
    .argument("[version]", "version number or latest (omit to delete the whole subject)")
    .option("--permanent", "delete for good (only after a soft delete)");
  withServerOptions(cmd, ctx.io)
    .addHelpText(
      "after",
      "\nExamples:\n  $ structreg delete sentiment 2\n  $ structreg delete sentiment 2 --permanent\n" +
        "  $ structreg delete sentiment",
    )
    .action(
      async (
        subject: string,
        rawVersion: string | undefined,
        options: ServerOptions & { permanent?: boolean },
      ) => {
        const client = clientFor(options);
        const permanent = options.permanent === true;
        const how = permanent ? "permanently deleted" : "soft-deleted";
        if (rawVersion === undefined) {
          const versions = await client.deleteSubject(subject, { permanent });
          if (options.json === true) return printJson(ctx.io.stdout, versions);
          return line(ctx.io.stdout, `${how} ${subject} (versions ${versions.join(", ")})`);
        }
        const version = await client.deleteVersion(subject, parseVersionArg(rawVersion), { permanent });
        if (options.json === true) return printJson(ctx.io.stdout, version);
        line(ctx.io.stdout, `${how} ${subject} version ${version}`);
      },
    );
}
