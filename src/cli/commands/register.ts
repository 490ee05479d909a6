import type { Command } from "commander";
import { StructregError } from "../../core/errors.js";
import type { SchemaReference } from "../../core/schema/references.js";
import { type CommandContext, clientFor, type ServerOptions, withServerOptions } from "../context.js";
import { line, printJson } from "../output.js";
import { describeReferences, withReferenceOption } from "../references.js";
import { readSchemaArg } from "../schema-input.js";

interface ReferenceOptions extends ServerOptions {
  reference?: SchemaReference[];
  id?: number;
  version?: number;
}

/** A positive integer option value (an id or a version), else a usage error. */
function positiveInt(raw: string): number {
  if (/^[1-9][0-9]{0,9}$/.test(raw) && Number(raw) <= 2_147_483_647) return Number(raw);
  throw new StructregError("SR_USAGE", `expected a positive integer, got ${JSON.stringify(raw)}`, {
    hint: "--id and --version take 1..2147483647",
  });
}

/** `structreg register <subject> <file>`: publishes one schema version. */
export function addRegisterCommand(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command("register")
    .description("register a schema as the next version of a subject (idempotent)")
    .argument("<subject>", "subject name")
    .argument("<file>", "schema: a .json file, module.ts#Export (Zod), or - for stdin");
  withReferenceOption(withServerOptions(cmd, ctx.io))
    .option("--id <n>", "IMPORT mode: register under exactly this global id", positiveInt)
    .option("--version <n>", "IMPORT mode: register at exactly this version", positiveInt)
    .addHelpText(
      "after",
      "\nExamples:\n  $ structreg register support-ticket-triage schemas/support-ticket-triage/v2.json\n" +
        "  $ structreg register invoice src/schemas.ts#Invoice --url http://registry:8080\n" +
        "  $ structreg register invoice invoice.json --reference money.json=money:1\n" +
        "  $ structreg register invoice invoice.json --id 1042 --version 3   # subject in IMPORT mode",
    )
    .action(async (subject: string, file: string, options: ReferenceOptions) => {
      const schema = await readSchemaArg(file, ctx.io);
      const references = options.reference ?? [];
      const result = await clientFor(options).register(subject, schema, {
        references,
        ...(options.id === undefined ? {} : { id: options.id }),
        ...(options.version === undefined ? {} : { version: options.version }),
      });
      if (options.json === true) return printJson(ctx.io.stdout, result);
      const verb = result.created ? "registered" : "already registered";
      const refs = references.length === 0 ? "" : `, references ${describeReferences(references)}`;
      line(ctx.io.stdout, `${verb} ${subject} version ${result.version} (id ${result.id})${refs}`);
    });
}
