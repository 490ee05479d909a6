import { resolve } from "node:path";
import type { Command } from "commander";
import { type SyncEvent, type SyncReport, syncSchemasFolder } from "../../app/sync.js";
import { type CommandContext, clientFor, type ServerOptions, withServerOptions } from "../context.js";
import { EXIT } from "../exit-codes.js";
import type { Writable } from "../io.js";
import { line, printDetails, printJson } from "../output.js";

/** `structreg sync [dir]`: publishes a schemas folder (`<dir>/<subject>/v<N>.json`). */
export function addSyncCommand(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command("sync")
    .description("publish a schemas folder (<dir>/<subject>/v<N>.json) in version order; idempotent")
    .argument("[dir]", "schemas folder", "schemas");
  withServerOptions(cmd, ctx.io)
    .addHelpText(
      "after",
      "\nExamples:\n  $ structreg sync\n  $ structreg sync ./schemas --url http://registry:8080",
    )
    .action(async (dir: string, options: ServerOptions) => {
      const client = clientFor(options);
      const human = options.json !== true;
      const report = await syncSchemasFolder(resolve(ctx.io.cwd, dir), client, {
        ...(human ? { onProgress: (e: SyncEvent) => printEvent(ctx.io.stdout, e) } : {}),
      });
      if (report.counts.refused > 0) ctx.exitCode = EXIT.REJECTED;
      if (!human) return printJson(ctx.io.stdout, report);
      line(ctx.io.stdout, summary(report));
    });
}

function printEvent(out: Writable, event: SyncEvent): void {
  if (event.type === "warning") {
    line(out, `warning    ${event.warning.file}: ${event.warning.message}`);
  } else if (event.type === "skipped") {
    line(out, `skipped    ${event.skipped.file} (${event.skipped.reason})`);
  } else if (event.result.status === "refused") {
    const { file, error } = event.result;
    line(out, `refused    ${file}: ${error.code}: ${error.message}`);
    printDetails(out, error.details);
  } else {
    const r = event.result;
    line(out, `${r.status.padEnd(9)}  ${r.file}  version ${r.version}  id ${r.id}`);
  }
}

function summary(report: SyncReport): string {
  const { created, unchanged, refused, skipped } = report.counts;
  const parts = [`${created} created`, `${unchanged} unchanged`, `${refused} refused`];
  if (skipped > 0) parts.push(`${skipped} skipped`);
  if (report.warnings.length > 0) parts.push(`${report.warnings.length} warning(s)`);
  return `${report.dir}: ${parts.join(", ")}`;
}
