import { createWriteStream, openSync, renameSync, rmSync, type WriteStream } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { StructregError } from "../../core/errors.js";
import { type CommandContext, type ServerOptions, withServerOptions } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { recordLine } from "../migrate/export-file.js";
import { openSource, type SourceFlags } from "../migrate/open-source.js";
import { createStepProgress } from "../migrate/step-progress.js";
import { compileSubjectFilter } from "../migrate/subject-glob.js";
import { line, printJson } from "../output.js";
import { addSourceOptions, isTTY } from "./import.js";

interface ExportOptions extends ServerOptions, SourceFlags {
  from?: string;
  subjects?: string;
  out?: string;
}

const EXAMPLES = `
Examples:
  $ structreg export --out registry-export.jsonl                 this registry (--url) to a file
  $ structreg export --from http://confluent:8081 --subjects 'orders-*' > orders.jsonl

Writes JSONL: a header line, the global settings, then each subject and its versions (soft-deleted ones
included), and an end line with the counts. \`structreg import --from <file>\` reads it.`;

/** `structreg export`: a registry's subjects, versions and settings as one JSONL file. */
export function addExportCommand(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command("export")
    .description(
      "write subjects, versions, ids, deletes, references and settings as a JSONL file that import reads",
    )
    .option("--from <url>", "registry to export (default: --url); any Confluent-compatible registry")
    .option(
      "--subjects <globs>",
      "only subjects matching these comma-separated globs (* and ?), plus what they reference",
    )
    .option("--out <file>", "write here instead of stdout (written whole, then renamed into place)");
  addSourceOptions(cmd);
  withServerOptions(cmd, ctx.io)
    .addHelpText("after", EXAMPLES)
    .action(async (options: ExportOptions) => {
      ctx.exitCode = await exportCommand(ctx, options);
    });
}

async function exportCommand(ctx: CommandContext, options: ExportOptions): Promise<number> {
  const { io } = ctx;
  const from = options.from ?? options.url;
  if (!/^https?:\/\//i.test(from))
    throw new StructregError("SR_USAGE", "export reads a registry: --from must be an http(s) URL");
  // Without --from the registry is --url, whose token is --token.
  const flags: SourceFlags =
    options.from === undefined && options.token !== undefined
      ? { ...options, fromToken: options.token }
      : options;
  const source = openSource(
    from,
    flags,
    options.from === undefined ? {} : io.env,
    io.cwd,
    compileSubjectFilter(options.subjects),
  );
  const progress = createStepProgress({
    out: io.stderr,
    tty: isTTY(io.stderr),
    now: () => performance.now(),
  });
  const path = options.out === undefined ? undefined : resolve(io.cwd, options.out);
  const sink = path === undefined ? undefined : openFile(`${path}.partial`);
  let counts = { subjects: 0, versions: 0 };
  try {
    for await (const record of source.records) {
      const text = recordLine(record);
      if (sink === undefined) io.stdout.write(text);
      else await write(sink, text);
      if (record.type === "end") counts = { subjects: record.subjects, versions: record.versions };
      if (record.type === "subject") counts.subjects++;
      if (record.type === "version") counts.versions++;
      progress.update("exporting", counts.subjects, 0, `subjects, ${counts.versions} versions`);
    }
    if (sink !== undefined && path !== undefined) {
      await close(sink);
      renameSync(`${path}.partial`, path);
    }
  } catch (err) {
    if (sink !== undefined) {
      sink.destroy();
      rmSync(`${path}.partial`, { force: true });
    }
    throw err;
  } finally {
    progress.finish();
  }
  const summary = { source: source.name, out: path ?? "-", ...counts };
  const out = path === undefined ? io.stderr : io.stdout;
  if (options.json === true && path !== undefined) printJson(out, summary);
  else
    line(
      out,
      `exported ${counts.subjects} subjects, ${counts.versions} versions from ${source.name} to ${path ?? "stdout"}`,
    );
  return EXIT.OK;
}

function openFile(path: string): WriteStream {
  let fd: number;
  try {
    // Opened synchronously: a bad path is a typed error now, not an 'error' event with nobody listening.
    fd = openSync(path, "w");
  } catch (err) {
    throw fileError(path, err as Error);
  }
  const stream = createWriteStream(path, { fd });
  stream.on("error", () => {}); // each write and close reports its own failure
  return stream;
}

// Backpressure: wait for the file to drain, so memory stays bounded whatever the source's size.
function write(stream: WriteStream, text: string): Promise<void> {
  return new Promise((resolveWrite, reject) => {
    const onError = (err: Error) => reject(fileError(stream.path.toString(), err));
    stream.once("error", onError);
    const flushed = stream.write(text, () => stream.off("error", onError));
    if (flushed) resolveWrite();
    else stream.once("drain", () => resolveWrite());
  });
}

function close(stream: WriteStream): Promise<void> {
  return new Promise((resolveClose, reject) => {
    stream.once("error", (err) => reject(fileError(stream.path.toString(), err)));
    stream.end(() => resolveClose());
  });
}

function fileError(path: string, err: Error): StructregError {
  return new StructregError("SR_FILE_ACCESS", `cannot write ${path}: ${err.message}`, { cause: err });
}
