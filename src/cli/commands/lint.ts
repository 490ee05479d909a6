import { createHash } from "node:crypto";
import { type Command, Option } from "commander";
import { StructregError } from "../../core/errors.js";
import { DEFAULT_PROFILE, PROFILES, type Profile } from "../../core/model.js";
import { analyzeSchema } from "../../core/schema/analyze.js";
import type { CommandContext } from "../context.js";
import { exitCodeFor } from "../exit-codes.js";
import { line, lintRows, printJson, printTable } from "../output.js";
import { readSchemaArg } from "../schema-input.js";

/** `structreg lint <file>`: offline provider lint and safety checks, exactly as the registry runs them. */
export function addLintCommand(program: Command, ctx: CommandContext): void {
  program
    .command("lint")
    .description("lint a schema offline against a provider profile (exit 1 on errors)")
    .argument("<file>", "schema: a .json file, module.ts#Export (Zod), or - for stdin")
    .addOption(
      new Option("--profile <profile>", "provider profile").choices(PROFILES).default(DEFAULT_PROFILE),
    )
    .option("--json", "machine-readable output")
    .addHelpText(
      "after",
      "\nExamples:\n  $ structreg lint schemas/sentiment/v2.json\n  $ structreg lint schema.json --profile json-schema",
    )
    .action(async (file: string, options: { profile: Profile; json?: boolean }) => {
      const schema = await readSchemaArg(file, ctx.io);
      const result = analyzeSchema(schema, { profile: options.profile, sha256 });
      if (options.json === true) {
        printJson(
          ctx.io.stdout,
          result.ok ? { ok: true, fingerprint: result.fingerprint, lint: result.lint } : result,
        );
        if (!result.ok) ctx.exitCode = exitCodeFor(result.code);
        return;
      }
      if (!result.ok) {
        throw new StructregError(result.code, result.message, {
          details: { lint: result.lint },
          ...(result.hint === undefined ? {} : { hint: result.hint }),
        });
      }
      const warnings = result.lint.length;
      line(
        ctx.io.stdout,
        warnings === 0 ? `ok (${options.profile})` : `ok (${options.profile}), ${warnings} warning(s)`,
      );
      printTable(ctx.io.stdout, lintRows(result.lint), "  ");
    });
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
