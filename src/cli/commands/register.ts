import type { Command } from "commander";
import type { SchemaReference } from "../../core/schema/references.js";
import { type CommandContext, clientFor, type ServerOptions, withServerOptions } from "../context.js";
import { line, printJson } from "../output.js";
import { describeReferences, withReferenceOption } from "../references.js";
import { readSchemaArg } from "../schema-input.js";

interface ReferenceOptions extends ServerOptions {
  reference?: SchemaReference[];
}

/** `structreg register <subject> <file>`: publishes one schema version. */
export function addRegisterCommand(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command("register")
    .description("register a schema as the next version of a subject (idempotent)")
    .argument("<subject>", "subject name")
    .argument("<file>", "schema: a .json file, module.ts#Export (Zod), or - for stdin");
  withReferenceOption(withServerOptions(cmd, ctx.io))
    .addHelpText(
      "after",
      "\nExamples:\n  $ structreg register support-ticket-triage schemas/support-ticket-triage/v2.json\n" +
        "  $ structreg register invoice src/schemas.ts#Invoice --url http://registry:8080\n" +
        "  $ structreg register invoice invoice.json --reference money.json=money:1",
    )
    .action(async (subject: string, file: string, options: ReferenceOptions) => {
      const schema = await readSchemaArg(file, ctx.io);
      const references = options.reference ?? [];
      const result = await clientFor(options).register(subject, schema, { references });
      if (options.json === true) return printJson(ctx.io.stdout, result);
      const verb = result.created ? "registered" : "already registered";
      const refs = references.length === 0 ? "" : `, references ${describeReferences(references)}`;
      line(ctx.io.stdout, `${verb} ${subject} version ${result.version} (id ${result.id})${refs}`);
    });
}
