/**
 * Reads a Confluent-compatible registry (Confluent, Karapace, Apicurio's ccompat API, structreg) with its
 * GET API and yields the records an export writes: header, global settings, then each subject followed by
 * its versions (soft-deleted ones included). Subjects outside `--subjects` that a selected version
 * references are read too, so the import can satisfy every reference.
 */
import { StructregError } from "../../core/errors.js";
import { isJsonObject } from "../../core/json.js";
import type { JsonAnswer, JsonHttp } from "./http-json.js";
import { mapOrdered } from "./pool.js";
import {
  EXPORT_FORMAT,
  EXPORT_FORMAT_VERSION,
  type MigrationRecord,
  type SubjectRecord,
  type VersionRecord,
} from "./records.js";
import {
  invalidAnswer,
  readSettings,
  readStringList,
  readVersionAnswer,
  readVersionList,
} from "./source-shapes.js";
import type { SubjectFilter } from "./subject-glob.js";

/** Limits of one read; past one the read stops with SR_IMPORT_TOO_LARGE. */
export interface SourceLimits {
  maxSubjects: number;
  maxVersionsPerSubject: number;
}

/** Options of `readRegistry`. */
export interface RegistrySourceOptions {
  http: JsonHttp;
  filter: SubjectFilter;
  /** Subjects read at once (each reads its versions one after the other). */
  concurrency?: number;
  limits?: Partial<SourceLimits>;
  /** Subjects asked for per page of `GET /subjects` (Confluent's `limit`). */
  pageSize?: number;
  now?: () => Date;
}

const DEFAULT_LIMITS: SourceLimits = { maxSubjects: 100_000, maxVersionsPerSubject: 100_000 };
const PAGE_SIZE = 1_000;

/** The registry's content as a record stream (subjects sorted by name, versions ascending). */
export async function* readRegistry(options: RegistrySourceOptions): AsyncGenerator<MigrationRecord> {
  const { http } = options;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const globalAnswer = await get(http, "/config");
  const global = globalAnswer.status === 404 ? {} : readSettings(ok(globalAnswer, "/config"), "/config");
  // structreg's config answers carry its own fields (policy, profile); Confluent's never do.
  const structreg = isJsonObject(globalAnswer.body) && typeof globalAnswer.body.profile === "string";
  yield {
    type: "header",
    format: EXPORT_FORMAT,
    formatVersion: EXPORT_FORMAT_VERSION,
    source: http.origin,
    sourceKind: structreg ? "structreg" : "confluent",
    createdAt: (options.now ?? (() => new Date()))().toISOString(),
  };
  yield { type: "global", ...global };
  const all = await listSubjects(http, limits.maxSubjects, options.pageSize ?? PAGE_SIZE);
  const queue = all.filter(options.filter).sort();
  const known = new Set(all);
  const queued = new Set(queue);
  let subjects = 0;
  let versions = 0;
  const read = (subject: string) => readSubject(http, subject, limits);
  for await (const { subject, records } of mapOrdered(queue, options.concurrency ?? 4, read)) {
    subjects++;
    versions += records.length;
    yield subject;
    for (const record of records) {
      yield record;
      for (const ref of record.references) {
        // A reference to a subject the source does not list is left for the target to refuse, named.
        if (queued.has(ref.subject) || !known.has(ref.subject)) continue;
        if (queued.size >= limits.maxSubjects) throw tooMany(`more than ${limits.maxSubjects} subjects`);
        queued.add(ref.subject);
        queue.push(ref.subject);
      }
    }
  }
  yield { type: "end", subjects, versions };
}

async function readSubject(
  http: JsonHttp,
  subject: string,
  limits: SourceLimits,
): Promise<{ subject: SubjectRecord; records: VersionRecord[] }> {
  const base = `/subjects/${encodeURIComponent(subject)}/versions`;
  const numbers = readVersionList(ok(await get(http, `${base}?deleted=true`), base), base);
  if (numbers.length > limits.maxVersionsPerSubject) {
    throw tooMany(`subject ${subject} has more than ${limits.maxVersionsPerSubject} versions`);
  }
  // A fully soft-deleted subject answers 40401 without ?deleted=true: none of its versions is live.
  const liveAnswer = await get(http, base);
  const live = new Set(liveAnswer.status === 404 ? [] : readVersionList(ok(liveAnswer, base), base));
  const records: VersionRecord[] = [];
  for (const version of [...new Set(numbers)].sort((a, b) => a - b)) {
    const path = `${base}/${version}?deleted=true`;
    const answer = await get(http, path);
    // Permanently deleted between the listing and this read: nothing to copy.
    if (answer.status === 404) continue;
    const record = readVersionAnswer(ok(answer, path), path, subject, version);
    if (!isJsonObject(answer.body) || typeof answer.body.deleted !== "boolean")
      record.deleted = !live.has(version);
    records.push(record);
  }
  const configPath = `/config/${encodeURIComponent(subject)}`;
  const config = await get(http, configPath);
  // 40408 (or 40401 on older registries): the subject follows the global settings.
  const own = config.status === 404 ? {} : readSettings(ok(config, configPath), configPath);
  return { subject: { type: "subject", subject, ...own }, records };
}

/** `GET /subjects?deleted=true`, a page at a time where the source pages (Confluent's offset/limit). */
async function listSubjects(http: JsonHttp, max: number, pageSize: number): Promise<string[]> {
  const names: string[] = [];
  const seen = new Set<string>();
  for (let offset = 0; ; offset += pageSize) {
    const path = `/subjects?deleted=true&offset=${offset}&limit=${pageSize}`;
    const answer = await get(http, path);
    // A registry that refuses the paging parameters answers the whole list without them.
    if (offset === 0 && answer.status === 400)
      return readStringList(ok(await get(http, "/subjects?deleted=true"), "/subjects"), "/subjects");
    const page = readStringList(ok(answer, "/subjects"), "/subjects");
    const fresh = page.filter((s) => !seen.has(s));
    for (const s of fresh) seen.add(s);
    names.push(...fresh);
    if (names.length > max) throw tooMany(`more than ${max} subjects`);
    // A short page ends the list; so does a page with nothing new (the source ignores offset).
    if (page.length < pageSize || fresh.length === 0 || page.length > pageSize) return names;
  }
}

function tooMany(what: string): StructregError {
  return new StructregError("SR_IMPORT_TOO_LARGE", `the source has ${what}`, {
    hint: "import in parts with --subjects",
  });
}

async function get(http: JsonHttp, path: string): Promise<JsonAnswer> {
  return http.request("GET", path);
}

/** The body of a 2xx answer; an error answer becomes the typed error it stands for. */
function ok(answer: JsonAnswer, path: string): unknown {
  if (answer.status >= 200 && answer.status < 300) return answer.body;
  if (answer.status === 401 || answer.status === 403) {
    throw new StructregError(
      answer.status === 401 ? "SR_UNAUTHORIZED" : "SR_FORBIDDEN",
      `the source refused ${path} (HTTP ${answer.status})`,
      {
        hint: "pass --from-token, or --from-basic-auth user:password (env STRUCTREG_FROM_TOKEN / STRUCTREG_FROM_BASIC_AUTH)",
      },
    );
  }
  if (answer.status >= 500 || answer.status === 429 || answer.status === 408) {
    throw new StructregError(
      "SR_IMPORT_SOURCE_UNREACHABLE",
      `the source kept failing ${path} (HTTP ${answer.status}) after retries`,
      { hint: "the source is overloaded or broken: run the same command again later" },
    );
  }
  const message =
    isJsonObject(answer.body) && typeof answer.body.message === "string"
      ? `: ${answer.body.message.slice(0, 200)}`
      : "";
  throw invalidAnswer(path, `HTTP ${answer.status}${message}`);
}
