import { type Command, Option } from "commander";
import { StructregError } from "../../core/errors.js";
import { isProfile } from "../../core/model.js";
import { type CommandContext, type ServerOptions, withServerOptions } from "../context.js";
import { EXIT } from "../exit-codes.js";
import type { Writable } from "../io.js";
import { createJsonHttp } from "../migrate/http-json.js";
import { runImport } from "../migrate/import-run.js";
import { interrupted } from "../migrate/import-steps.js";
import { openSource, type SourceFlags } from "../migrate/open-source.js";
import { collectSnapshot, planVersions } from "../migrate/plan.js";
import type { MigrationRecord } from "../migrate/records.js";
import { printReport } from "../migrate/report.js";
import { defaultStatePath, openImportState } from "../migrate/state-file.js";
import { createStepProgress, type StepProgress } from "../migrate/step-progress.js";
import { compileSubjectFilter } from "../migrate/subject-glob.js";
import { createImportTarget } from "../migrate/target.js";
import { printJson, reportError } from "../output.js";

interface ImportOptions extends ServerOptions, SourceFlags {
  from: string;
  subjects?: string;
  dryRun?: boolean;
  state?: string;
  profile?: string;
}

const EXAMPLES = `
Examples:
  $ structreg import --from http://confluent:8081 --dry-run      what would be copied
  $ structreg import --from http://confluent:8081 --from-basic-auth "$KEY:$SECRET"
  $ structreg import --from https://karapace:8081 --subjects 'orders-*' --profile json-schema
  $ structreg import --from registry-export.jsonl                 from a file written by structreg export

Copies subjects, versions (with their ids and version numbers), soft deletes, references, compatibility
settings and (from structreg) version states into the registry at --url, in IMPORT mode. An interrupted
import resumes where it stopped; a re-run changes nothing and says so. Exit 1 when a step failed.`;

/** `structreg import --from <url|file>`: copies another registry (or an export file) into this one. */
export function addImportCommand(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command("import")
    .description(
      "copy subjects, versions, ids, deletes, references and settings from a Confluent-compatible registry or an export file",
    )
    .requiredOption(
      "--from <url|file>",
      "source registry URL (Confluent, Karapace, Apicurio ccompat, structreg) or export file",
    )
    .option(
      "--subjects <globs>",
      "only subjects matching these comma-separated globs (* and ?), plus what they reference",
    )
    .option("--dry-run", "read and plan, check the target, write nothing")
    .option(
      "--state <file>",
      "resume state file (default .structreg-import-<hash>.jsonl in the working folder)",
    )
    .option(
      "--profile <profile>",
      "profile for subjects whose source names none (e.g. json-schema for Confluent schemas)",
    );
  addSourceOptions(cmd);
  withServerOptions(cmd, ctx.io)
    .addHelpText("after", EXAMPLES)
    .action(async (options: ImportOptions) => {
      ctx.exitCode = await importCommand(ctx, options);
    });
}

/** How the source is read: requests in flight, their timeout, and its credentials (never shown in help). */
export function addSourceOptions(cmd: Command): void {
  cmd
    .option("--concurrency <n>", "source requests in flight (1-32)", "4")
    .option("--from-timeout <ms>", "timeout of each source request", "30000");
  cmd.addOption(new Option("--from-token <token>", "source bearer token (env STRUCTREG_FROM_TOKEN)"));
  cmd.addOption(
    new Option("--from-basic-auth <user:password>", "source basic auth (env STRUCTREG_FROM_BASIC_AUTH)"),
  );
}

async function importCommand(ctx: CommandContext, options: ImportOptions): Promise<number> {
  const { io } = ctx;
  if (options.profile !== undefined && !isProfile(options.profile)) {
    throw new StructregError("SR_USAGE", `--profile must be openai-strict or json-schema`, {
      hint: `got ${JSON.stringify(options.profile)}`,
    });
  }
  const filter = compileSubjectFilter(options.subjects);
  const targetHttp = createJsonHttp({
    url: options.url,
    ...(options.token === undefined ? {} : { headers: { Authorization: `Bearer ${options.token}` } }),
    unreachableCode: "SR_SERVER_UNREACHABLE",
    invalidCode: "SR_SERVER_UNREACHABLE",
    label: "the target registry",
  });
  const target = createImportTarget(targetHttp);
  const source = openSource(options.from, options, io.env, io.cwd, filter);
  const progress = createStepProgress({
    out: io.stderr,
    tty: isTTY(io.stderr),
    now: () => performance.now(),
  });
  // Ctrl-C stops the run between two steps, so the modes it changed are restored before it exits.
  const stop = new AbortController();
  void io.waitForShutdown().then(() => stop.abort());
  const snapshot = await collectSnapshot(withReadProgress(source.records, progress, stop.signal));
  progress.finish();
  const plan = planVersions(snapshot.versions);
  const state =
    options.dryRun === true
      ? undefined
      : openImportState(
          options.state ?? defaultStatePath(io.cwd, source.name, target.origin),
          source.name,
          target.origin,
        );
  const { report, stoppedBy } = await runImport({
    target,
    snapshot,
    plan,
    dryRun: options.dryRun === true,
    copyGlobal: options.subjects === undefined,
    ...(state === undefined ? {} : { state }),
    ...(options.profile === undefined ? {} : { defaultProfile: options.profile }),
    signal: stop.signal,
    onStep: (e) =>
      progress.update(options.dryRun === true ? "checking" : "importing", e.done, e.total, e.step),
  });
  progress.finish();
  if (options.json === true) printJson(io.stdout, report);
  else printReport(io.stdout, report);
  // The report says what was done before the stop; the error says why it stopped (and sets the exit code).
  if (stoppedBy !== undefined) return reportError(io, stoppedBy);
  return report.failures.length > 0 ? EXIT.REJECTED : EXIT.OK;
}

async function* withReadProgress(
  records: AsyncIterable<MigrationRecord>,
  progress: StepProgress,
  signal: AbortSignal,
): AsyncGenerator<MigrationRecord> {
  let subjects = 0;
  let versions = 0;
  for await (const record of records) {
    if (signal.aborted) throw interrupted();
    if (record.type === "subject") subjects++;
    if (record.type === "version") versions++;
    if (record.type === "subject" || record.type === "version")
      progress.update("reading", subjects, 0, `subjects, ${versions} versions`);
    yield record;
  }
}

/** Whether a stream is a terminal (process.stderr is; a test capture is not). */
export function isTTY(out: Writable): boolean {
  return (out as { isTTY?: boolean }).isTTY === true;
}
