import { createWriteStream } from "node:fs";
import { resolve } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Command } from "commander";
import type { QuarantineRecord } from "../../app/validation-types.js";
import type { QuarantineFilter } from "../../client/http-client.js";
import { StructregError } from "../../core/errors.js";
import {
  type CommandContext,
  clientFor,
  parseVersionArg,
  type ServerOptions,
  withServerOptions,
} from "../context.js";
import { preview } from "../outcome-output.js";
import { line, printJson, printTable } from "../output.js";
import { writeChunk } from "../sink.js";

interface FilterOptions extends ServerOptions {
  status?: string;
  reason?: string;
  version?: string;
  since?: string;
  until?: string;
  limit?: string;
  cursor?: string;
}

/** `structreg quarantine list|export|replay <subject>`: bad cases kept by validate-and-parse. */
export function addQuarantineCommand(program: Command, ctx: CommandContext): void {
  const group = program
    .command("quarantine")
    .description("list, export (JSONL eval set) or replay a subject's quarantined bad cases");
  addList(group, ctx);
  addExport(group, ctx);
  addReplay(group, ctx);
}

function withFilters(cmd: Command): Command {
  return cmd
    .option("--status <status>", "open or resolved")
    .option("--reason <reason>", "invalid, no_json, refusal, incomplete, failed, too_large or too_deep")
    .option("--version <n>", "target version the samples failed")
    .option("--since <iso>", "created at or after (ISO-8601)")
    .option("--until <iso>", "created before (ISO-8601)");
}

function addList(group: Command, ctx: CommandContext): void {
  const cmd = withFilters(group.command("list").description("list bad cases, newest first"))
    .argument("<subject>", "subject name")
    .option("--limit <n>", "page size (1..1000)", "50")
    .option("--cursor <c>", "nextCursor of the previous page");
  withServerOptions(cmd, ctx.io).action(async (subject: string, options: FilterOptions) => {
    const page = await clientFor(options).listQuarantine(subject, filterOf(options));
    if (options.json === true) return printJson(ctx.io.stdout, page);
    if (page.items.length === 0) line(ctx.io.stdout, "no quarantined samples");
    else
      printTable(ctx.io.stdout, [
        ["id", "created", "version", "reason", "status", "issue", "raw"],
        ...page.items.map(row),
      ]);
    if (page.nextCursor !== undefined) line(ctx.io.stdout, `more: --cursor ${page.nextCursor}`);
  });
}

function row(r: QuarantineRecord): string[] {
  const issue = r.issues[0];
  const first = issue === undefined ? "" : `${issue.path === "" ? "/" : issue.path} ${issue.code}`;
  return [String(r.id), r.createdAt, String(r.version), r.reason, r.status, first, preview(r.raw, 40)];
}

function addExport(group: Command, ctx: CommandContext): void {
  const cmd = withFilters(group.command("export").description("stream bad cases as JSONL (an eval set)"))
    .argument("<subject>", "subject name")
    .option("--out <file>", "write to a file instead of stdout");
  withServerOptions(cmd, ctx.io).action(
    async (subject: string, options: FilterOptions & { out?: string }) => {
      const { limit: _limit, cursor: _cursor, ...filter } = filterOf(options);
      const body = await clientFor(options).exportQuarantine(subject, filter);
      if (options.out === undefined) {
        const decoder = new TextDecoder();
        for await (const chunk of body)
          await writeChunk(ctx.io.stdout, decoder.decode(chunk, { stream: true }));
        return;
      }
      const path = resolve(ctx.io.cwd, options.out);
      let lines = 0;
      const counted = Readable.from(countLines(body, () => (lines += 1)));
      await pipeline(counted, createWriteStream(path)).catch((err: unknown) => {
        throw new StructregError("SR_USAGE", `cannot write ${options.out}: ${(err as Error).message}`, {
          cause: err,
        });
      });
      line(ctx.io.stderr, `exported ${lines} sample(s) to ${options.out}`);
    },
  );
}

async function* countLines(body: AsyncIterable<Uint8Array>, onLine: () => void): AsyncIterable<Uint8Array> {
  for await (const chunk of body) {
    for (const byte of chunk) if (byte === 0x0a) onLine();
    yield chunk;
  }
}

function addReplay(group: Command, ctx: CommandContext): void {
  const cmd = group
    .command("replay")
    .description("re-run open bad cases through the pipeline; recovered ones are marked resolved")
    .argument("<subject>", "subject name")
    .option("--version <n>", "replay against this version (default: the current target)")
    .option("--limit <n>", "replay at most this many samples")
    .option("--ids <ids>", "comma-separated sample ids");
  withServerOptions(cmd, ctx.io).action(
    async (subject: string, options: ServerOptions & { version?: string; limit?: string; ids?: string }) => {
      const request: { version?: number; limit?: number; ids?: number[] } = {};
      if (options.version !== undefined) request.version = parseVersionArg(options.version, false) as number;
      if (options.limit !== undefined) request.limit = positiveInt(options.limit, "--limit");
      if (options.ids !== undefined)
        request.ids = options.ids.split(",").map((id) => positiveInt(id.trim(), "--ids"));
      const report = await clientFor(options).replayQuarantine(subject, request);
      if (options.json === true) return printJson(ctx.io.stdout, report);
      line(
        ctx.io.stdout,
        `replayed ${report.replayed}: ${report.recovered} recovered, ${report.stillFailing} still failing`,
      );
    },
  );
}

function filterOf(options: FilterOptions): QuarantineFilter {
  const filter: QuarantineFilter = {};
  // Checked by the server (400 SR_INVALID_REQUEST names the allowed values).
  if (options.status !== undefined) filter.status = options.status as NonNullable<QuarantineFilter["status"]>;
  if (options.reason !== undefined) filter.reason = options.reason as NonNullable<QuarantineFilter["reason"]>;
  if (options.version !== undefined) filter.version = parseVersionArg(options.version, false) as number;
  if (options.since !== undefined) filter.since = options.since;
  if (options.until !== undefined) filter.until = options.until;
  if (options.limit !== undefined) filter.limit = positiveInt(options.limit, "--limit");
  if (options.cursor !== undefined) filter.cursor = positiveInt(options.cursor, "--cursor");
  return filter;
}

/** A positive integer option (SR_USAGE otherwise). */
function positiveInt(raw: string, name: string): number {
  if (/^[1-9][0-9]{0,9}$/.test(raw) && Number(raw) <= 2_147_483_647) return Number(raw);
  throw new StructregError("SR_USAGE", `${name} must be a positive integer`, {
    hint: `got ${JSON.stringify(raw)}`,
  });
}
