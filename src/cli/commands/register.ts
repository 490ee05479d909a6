import type { Command } from "commander";
import { type CommandContext, clientFor, type ServerOptions, withServerOptions } from "../context.js";
import { line, printJson } from "../output.js";
import { readSchemaArg } from "../schema-input.js";

/** `structreg register <subject> <file>`: publishes one schema version. */
export function addRegisterCommand(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command("register")
    .description("register a schema as the next version of a subject (idempotent)")
    .argument("<subject>", "subject name")
    .argument("<file>", "schema: a .json file, module.ts#Export (Zod), or - for stdin");
  withServerOptions(cmd, ctx.io)
    .addHelpText(
      "after",
      "\nExamples:\n  $ structreg register support-ticket-triage schemas/support-ticket-triage/v2.json\n" +
        "  $ structreg register invoice src/schemas.ts#Invoice --url http://registry:8080",
    )
    .action(async (subject: string, file: string, options: ServerOptions) => {
      const schema = await readSchemaArg(file, ctx.io);
      const result = await clientFor(options).register(subject, schema);
      if (options.json === true) return printJson(ctx.io.stdout, result);
      const verb = result.created ? "registered" : "already registered";
      line(ctx.io.stdout, `${verb} ${subject} version ${result.version} (id ${result.id})`);
    });
}
