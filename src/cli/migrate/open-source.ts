/**
 * `--from`: a registry URL (read with Confluent's GET API) or an export file. The source's credentials have
 * their own flags and variables (`--from-token` / STRUCTREG_FROM_TOKEN, `--from-basic-auth user:password` /
 * STRUCTREG_FROM_BASIC_AUTH, or user:password in the URL), because `--token` is the target's in every
 * command. Secrets go into headers only: never into messages, reports, state files or exports.
 */
import { resolve } from "node:path";
import { StructregError } from "../../core/errors.js";
import { readExportFile } from "./export-file.js";
import { createJsonHttp, type JsonHttp } from "./http-json.js";
import type { MigrationRecord } from "./records.js";
import { readRegistry } from "./source-registry.js";
import type { SubjectFilter } from "./subject-glob.js";

/** Source options shared by import and export. */
export interface SourceFlags {
  fromToken?: string;
  fromBasicAuth?: string;
  fromTimeout?: string;
  concurrency?: string;
}

/** An opened source: a name safe to print and its records. */
export interface OpenedSource {
  name: string;
  records: AsyncIterable<MigrationRecord>;
}

/** True when `--from` names a registry rather than a file. */
export function isUrl(from: string): boolean {
  return /^https?:\/\//i.test(from);
}

/** Opens `--from` (a URL, or a file relative to `cwd`). */
export function openSource(
  from: string,
  flags: SourceFlags,
  env: Record<string, string | undefined>,
  cwd: string,
  filter: SubjectFilter,
): OpenedSource {
  if (!isUrl(from)) {
    const path = resolve(cwd, from);
    return { name: path, records: filterFile(readExportFile(path), filter) };
  }
  const http = sourceHttp(from, flags, env);
  const concurrency = parseBounded(flags.concurrency, "--concurrency", 1, 32, 4);
  return { name: http.origin, records: readRegistry({ http, filter, concurrency }) };
}

/** The source registry's HTTP endpoint with its credentials. */
export function sourceHttp(
  from: string,
  flags: SourceFlags,
  env: Record<string, string | undefined>,
): JsonHttp {
  return createJsonHttp({
    url: from,
    headers: authHeaders(from, flags, env),
    timeoutMs: parseBounded(flags.fromTimeout, "--from-timeout", 100, 600_000, 30_000),
    unreachableCode: "SR_IMPORT_SOURCE_UNREACHABLE",
    invalidCode: "SR_IMPORT_SOURCE_INVALID",
    label: "the source",
  });
}

function authHeaders(
  from: string,
  flags: SourceFlags,
  env: Record<string, string | undefined>,
): Record<string, string> {
  const token = nonEmpty(flags.fromToken) ?? nonEmpty(env.STRUCTREG_FROM_TOKEN);
  const basic =
    nonEmpty(flags.fromBasicAuth) ?? nonEmpty(env.STRUCTREG_FROM_BASIC_AUTH) ?? urlCredentials(from);
  if (token !== undefined && basic !== undefined) {
    throw new StructregError("SR_USAGE", "give the source either a token or basic auth, not both");
  }
  if (token !== undefined) return { Authorization: `Bearer ${token}` };
  if (basic === undefined) return {};
  if (!basic.includes(":")) {
    // The value is a secret: say what is wrong without echoing it.
    throw new StructregError("SR_USAGE", "--from-basic-auth must be user:password", {
      hint: "Confluent Cloud: the API key is the user and its secret the password",
    });
  }
  return { Authorization: `Basic ${Buffer.from(basic, "utf8").toString("base64")}` };
}

function urlCredentials(from: string): string | undefined {
  try {
    const url = new URL(from);
    if (url.username === "") return undefined;
    return `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  } catch {
    return undefined;
  }
}

/** Parses an integer flag within bounds (SR_USAGE otherwise). */
export function parseBounded(
  raw: string | undefined,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number {
  if (raw === undefined) return fallback;
  const value = /^[0-9]{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= min && value <= max)) {
    throw new StructregError("SR_USAGE", `${name} must be an integer from ${min} to ${max}`, {
      hint: `got ${JSON.stringify(raw.slice(0, 40))}`,
    });
  }
  return value;
}

// An export file holds what was exported; --subjects narrows it (keeping the end record's counts true).
async function* filterFile(
  records: AsyncIterable<MigrationRecord>,
  filter: SubjectFilter,
): AsyncGenerator<MigrationRecord> {
  let subjects = 0;
  let versions = 0;
  let all = true;
  for await (const record of records) {
    if (record.type === "subject" || record.type === "version") {
      if (!filter(record.subject)) {
        all = false;
        continue;
      }
      if (record.type === "subject") subjects++;
      else versions++;
    }
    yield record.type === "end" && !all ? { ...record, subjects, versions } : record;
  }
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === "" ? undefined : v;
}
