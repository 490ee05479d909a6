import type { Command } from "commander";
import { StructregError } from "../../core/errors.js";
import { createParser } from "../../core/parse/pipeline.js";
import type { CommandContext } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { printRejection, printRepairs } from "../outcome-output.js";
import { line, printJson } from "../output.js";
import { readSchemaArg } from "../schema-input.js";
import { modelOutputFromText, readStdinText } from "../stdin-output.js";

interface ParseOptions {
  schema: string;
  json?: boolean;
}

/** `structreg parse --schema <file>`: offline validate-and-parse of stdin; exit 1 when rejected. */
export function addParseCommand(program: Command, ctx: CommandContext): void {
  program
    .command("parse")
    .description("offline validate-and-parse: read a model output on stdin, print the parsed data")
    .requiredOption("--schema <file>", "schema: a .json file or module.ts#Export (Zod)")
    .option("--json", "print the whole result (data, repairs or issues) as JSON")
    .addHelpText(
      "after",
      "\nStdin may be the model's raw text or a whole Responses API response (JSON).\n" +
        "Data goes to stdout; repairs and issues go to stderr (with --json everything is on stdout).\n" +
        "\nExamples:\n  $ structreg parse --schema schemas/ticket/v2.json < output.txt > data.json\n" +
        "  $ curl … /v1/responses | structreg parse --schema src/schemas.ts#Ticket --json",
    )
    .action(async (options: ParseOptions) => {
      const { io } = ctx;
      if (options.schema === "-") {
        // stdin carries the output: it cannot carry the schema too.
        throw new StructregError("SR_USAGE", "--schema - is not allowed: stdin holds the output");
      }
      const parser = createParser(await readSchemaArg(options.schema, io));
      const result = parser.parse(modelOutputFromText(await readStdinText(io)));
      if (!result.ok) ctx.exitCode = EXIT.REJECTED;
      if (options.json === true) return printJson(io.stdout, result);
      if (result.ok) {
        line(io.stdout, JSON.stringify(result.data, null, 2));
        printRepairs(io.stderr, result.repairs);
        return;
      }
      printRejection(io.stderr, result.reason, result.issues);
      printRepairs(io.stderr, result.repairs);
    });
}
