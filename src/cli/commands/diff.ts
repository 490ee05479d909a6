import { createHash } from "node:crypto";
import { type Command, Option } from "commander";
import type { CompatibilityVerdict } from "../../app/registry-types.js";
import { checkCompatibility } from "../../core/compat/check.js";
import { compareSchemas } from "../../core/compat/compare.js";
import { allowedChanges } from "../../core/compat/kinds.js";
import type { Difference } from "../../core/compat/types.js";
import { StructregError } from "../../core/errors.js";
import type { JsonSchema } from "../../core/json.js";
import {
  COMPATIBILITY_LEVELS,
  COMPATIBILITY_POLICIES,
  type CompatibilityLevel,
  type CompatibilityPolicy,
  DEFAULT_COMPATIBILITY,
  DEFAULT_POLICY,
} from "../../core/model.js";
import { analyzeSchema } from "../../core/schema/analyze.js";
import type { CommandContext } from "../context.js";
import { EXIT } from "../exit-codes.js";
import type { CliIO, Writable } from "../io.js";
import { line, printJson, printTable } from "../output.js";
import { readSchemaArg } from "../schema-input.js";

interface DiffOptions {
  level: CompatibilityLevel;
  policy: CompatibilityPolicy;
  json?: boolean;
}

type Direction = "backward" | "forward";

/** A difference as `diff` shows it: judged against the policy, with the fix when one is known. */
interface JudgedDifference extends Difference {
  allowed: boolean;
  fix?: string;
}

/** `structreg diff <old> <new>`: offline compatibility diff; exit 1 when incompatible under --level. */
export function addDiffCommand(program: Command, ctx: CommandContext): void {
  program
    .command("diff")
    .description("diff two schemas offline: every difference per direction, allowed or breaking")
    .argument("<old>", "earlier schema: a .json file, module.ts#Export (Zod), or - for stdin")
    .argument("<new>", "later schema, same forms")
    .addOption(
      new Option("--level <level>", "compatibility level")
        .choices(COMPATIBILITY_LEVELS)
        .default(DEFAULT_COMPATIBILITY),
    )
    .addOption(
      new Option("--policy <policy>", "compatibility policy")
        .choices(COMPATIBILITY_POLICIES)
        .default(DEFAULT_POLICY),
    )
    .option("--json", "machine-readable output")
    .addHelpText(
      "after",
      "\nExamples:\n  $ structreg diff schemas/sentiment/v1.json schemas/sentiment/v2.json --level FULL",
    )
    .action(async (oldSpec: string, newSpec: string, options: DiffOptions) => {
      const oldSchema = await readChecked(oldSpec, ctx.io);
      const newSchema = await readChecked(newSpec, ctx.io);
      const comparison = compareSchemas(oldSchema, newSchema, { policy: options.policy });
      const verdict = checkCompatibility({
        level: options.level,
        policy: options.policy,
        schema: newSchema,
        previous: [{ version: 1, schema: oldSchema }],
      });
      const judged = {
        backward: judge(comparison.differences.backward, "backward", options.policy, verdict),
        forward: judge(comparison.differences.forward, "forward", options.policy, verdict),
      };
      if (!verdict.isCompatible) ctx.exitCode = EXIT.REJECTED;
      if (options.json === true) {
        return printJson(ctx.io.stdout, {
          level: options.level,
          policy: options.policy,
          ...verdict,
          directions: judged,
        });
      }
      printDirection(ctx.io.stdout, "backward (old → new)", judged.backward);
      printDirection(ctx.io.stdout, "forward (new → old)", judged.forward);
      const outcome = verdict.isCompatible ? "compatible" : "incompatible";
      line(ctx.io.stdout, `${options.level} (${options.policy}): ${outcome}`);
    });
}

// Schemas are analysed as the registry would (syntax, depth, size, dialect) so that the differ only
// ever sees input it can handle: a 10,000-level document is refused here, not overflowed on.
async function readChecked(spec: string, io: CliIO): Promise<JsonSchema> {
  const schema = await readSchemaArg(spec, io);
  const result = analyzeSchema(schema, { profile: "json-schema", sha256 });
  if (!result.ok) {
    throw new StructregError(result.code, `${spec}: ${result.message}`, {
      ...(result.hint === undefined ? {} : { hint: result.hint }),
    });
  }
  return result.schema;
}

function judge(
  differences: readonly Difference[],
  direction: Direction,
  policy: CompatibilityPolicy,
  verdict: CompatibilityVerdict,
): JudgedDifference[] {
  const allowed = allowedChanges(policy);
  return differences.map((d) => {
    const offending = verdict.differences.find(
      (o) => o.direction === direction && o.kind === d.kind && o.path === d.path,
    );
    const judged: JudgedDifference = { kind: d.kind, path: d.path, allowed: allowed.has(d.kind) };
    if (offending?.fix !== undefined) judged.fix = offending.fix;
    return judged;
  });
}

function printDirection(out: Writable, title: string, differences: readonly JudgedDifference[]): void {
  const breaking = differences.filter((d) => !d.allowed).length;
  const summary =
    differences.length === 0 ? "no differences" : breaking === 0 ? "all allowed" : `${breaking} breaking`;
  line(out, `${title}: ${summary}`);
  printTable(
    out,
    differences.map((d) => [
      d.allowed ? "allowed" : "breaking",
      d.kind,
      d.path === "" ? "/" : d.path,
      d.fix === undefined ? "" : `fix: ${d.fix}`,
    ]),
    "  ",
  );
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
