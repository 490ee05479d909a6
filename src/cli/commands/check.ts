import type { Command } from "commander";
import type { CheckVerdict } from "../../app/registry-types.js";
import type { RegistryClient } from "../../client/http-client.js";
import { isStructregError } from "../../core/errors.js";
import type { SchemaReference } from "../../core/schema/references.js";
import { type CommandContext, clientFor, type ServerOptions, withServerOptions } from "../context.js";
import { EXIT } from "../exit-codes.js";
import type { Writable } from "../io.js";
import { differenceRow, line, lintRows, printJson, printTable } from "../output.js";
import { withReferenceOption } from "../references.js";
import { readSchemaArg } from "../schema-input.js";

/** `structreg check <subject> <file>`: dry run of register; exit 1 when the schema is not registrable. */
export function addCheckCommand(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command("check")
    .description("dry-run a registration: lint, compatibility and the version it would get")
    .argument("<subject>", "subject name")
    .argument("<file>", "schema: a .json file, module.ts#Export (Zod), or - for stdin");
  withReferenceOption(withServerOptions(cmd, ctx.io))
    .addHelpText("after", "\nExamples:\n  $ structreg check support-ticket-triage ./next.json && echo ok")
    .action(
      async (subject: string, file: string, options: ServerOptions & { reference?: SchemaReference[] }) => {
        const schema = await readSchemaArg(file, ctx.io);
        const client = clientFor(options);
        const verdict = await client.check(subject, schema, { references: options.reference ?? [] });
        const nextVersion =
          verdict.registrable && !verdict.existing ? await nextVersionOf(client, subject) : undefined;
        if (!verdict.registrable) ctx.exitCode = EXIT.REJECTED;
        if (options.json === true) return printJson(ctx.io.stdout, { ...verdict, nextVersion });
        printVerdict(ctx.io.stdout, verdict, nextVersion);
      },
    );
}

// The check verdict does not say which number a new version would get: it is one past the highest
// number the subject ever used, soft-deleted versions included.
async function nextVersionOf(client: RegistryClient, subject: string): Promise<number> {
  try {
    const versions = await client.listVersions(subject, { deleted: true });
    return versions.reduce((max, v) => Math.max(max, v), 0) + 1;
  } catch (err) {
    if (isStructregError(err) && err.code === "SR_SUBJECT_NOT_FOUND") return 1;
    throw err;
  }
}

function printVerdict(out: Writable, verdict: CheckVerdict, nextVersion: number | undefined): void {
  const errors = verdict.lint.filter((p) => p.severity === "error").length;
  line(
    out,
    `lint: ${verdict.lint.length === 0 ? "ok" : `${verdict.lint.length} problem(s), ${errors} error(s)`}`,
  );
  printTable(out, lintRows(verdict.lint), "  ");
  const compat = verdict.compatibility;
  line(out, `compatibility: ${compat.isCompatible ? "compatible" : "incompatible"}`);
  if (compat.differences.length > 0) {
    printTable(
      out,
      compat.differences.map((d) => differenceRow({ ...d })),
      "  ",
    );
  } else {
    for (const m of compat.messages) line(out, `  ${m}`);
  }
  line(out, outcome(verdict, nextVersion));
}

function outcome(verdict: CheckVerdict, nextVersion: number | undefined): string {
  if (verdict.existing) {
    return `already registered as version ${verdict.existing.version} (id ${verdict.existing.id})`;
  }
  if (verdict.registrable) return `would create version ${nextVersion ?? "?"}`;
  // An incompatibility's message repeats the differences printed above: the code says enough.
  if (verdict.error?.code === "SR_INCOMPATIBLE_SCHEMA") return `not registrable: ${verdict.error.code}`;
  if (verdict.error) return `not registrable: ${verdict.error.code}: ${verdict.error.message}`;
  return "not registrable";
}
