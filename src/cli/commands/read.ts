import type { Command } from "commander";
import type { VersionView } from "../../app/registry-types.js";
import {
  type CommandContext,
  clientFor,
  parseVersionArg,
  type ServerOptions,
  withServerOptions,
} from "../context.js";
import { line, printJson, printTable } from "../output.js";
import { describeReferences } from "../references.js";

interface ListOptions extends ServerOptions {
  deleted?: boolean;
}

/** `structreg subjects`, `versions <subject>` and `get <subject> [version]`: read-only views. */
export function addReadCommands(program: Command, ctx: CommandContext): void {
  withServerOptions(program.command("subjects").description("list subjects"), ctx.io)
    .option("--deleted", "include soft-deleted subjects")
    .addHelpText("after", "\nExamples:\n  $ structreg subjects --json")
    .action(async (options: ListOptions) => {
      const subjects = await clientFor(options).listSubjects({ deleted: options.deleted === true });
      if (options.json === true) return printJson(ctx.io.stdout, subjects);
      for (const s of subjects) line(ctx.io.stdout, s);
    });

  withServerOptions(
    program.command("versions").description("list a subject's versions with id and state"),
    ctx.io,
  )
    .argument("<subject>", "subject name")
    .option("--deleted", "include soft-deleted versions")
    .addHelpText("after", "\nExamples:\n  $ structreg versions support-ticket-triage")
    .action(async (subject: string, options: ListOptions) => {
      const client = clientFor(options);
      const deleted = options.deleted === true;
      const numbers = await client.listVersions(subject, { deleted });
      if (options.json === true) return printJson(ctx.io.stdout, numbers);
      // One request per version: subjects hold few versions, and the table is what a person wants.
      const views = await Promise.all(numbers.map((v) => client.getVersion(subject, v, { deleted })));
      printTable(ctx.io.stdout, [
        ["VERSION", "ID", "STATE", "CREATED", "REFERENCES"],
        ...views.map(versionRow),
      ]);
    });

  withServerOptions(program.command("get").description("print a version's schema (default: latest)"), ctx.io)
    .argument("<subject>", "subject name")
    .argument("[version]", "version number or latest", "latest")
    .option("--provider", "the schema as sent to the provider (annotations and defaults stripped)")
    .addHelpText(
      "after",
      "\nExamples:\n  $ structreg get support-ticket-triage\n  $ structreg get support-ticket-triage 2 --provider",
    )
    .action(async (subject: string, rawVersion: string, options: ServerOptions & { provider?: boolean }) => {
      const version = parseVersionArg(rawVersion);
      const client = clientFor(options);
      if (options.provider === true) {
        return printJson(ctx.io.stdout, await client.getProviderSchema(subject, version));
      }
      const view = await client.getVersion(subject, version);
      // stdout stays the schema alone (pipeable); what its $refs name is said on stderr.
      if (options.json !== true && view.references !== undefined) {
        line(ctx.io.stderr, `references: ${describeReferences(view.references)}`);
      }
      printJson(ctx.io.stdout, options.json === true ? view : JSON.parse(view.schema));
    });
}

function versionRow(v: VersionView): string[] {
  const state = v.deleted ? `${v.state} (deleted)` : v.state;
  return [String(v.version), String(v.id), state, v.createdAt, describeReferences(v.references)];
}
