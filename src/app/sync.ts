import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { type ErrorCode, isStructregError, StructregError } from "../core/errors.js";
import type { JsonSchema } from "../core/json.js";
import { SUBJECT_NAME } from "../core/model.js";
import type { SchemaReference } from "../core/schema/references.js";
import { type FolderFile, publishOrder } from "./sync-order.js";

/** Whatever publishes one schema: the registry service in-process, or the HTTP client from the CLI. */
export interface SchemaRegistrar {
  register(
    subject: string,
    schema: JsonSchema,
    options?: { references?: SchemaReference[] },
  ): Promise<{ id: number; version: number; created: boolean }>;
}

/** Why the registry (or the file itself) refused a schema. */
export interface SyncRefusal {
  code: ErrorCode;
  message: string;
  details?: Readonly<Record<string, unknown>>;
}

/** Outcome for one `<subject>/v<N>.json` file. `fileVersion` is the N of the file name. */
export type SyncFileResult =
  | { status: "created"; subject: string; file: string; fileVersion: number; version: number; id: number }
  | { status: "unchanged"; subject: string; file: string; fileVersion: number; version: number; id: number }
  | { status: "refused"; subject: string; file: string; fileVersion: number; error: SyncRefusal };

/** A file not attempted because an earlier version of its subject was refused (later ones build on it). */
export interface SyncSkipped {
  subject: string;
  file: string;
  fileVersion: number;
  reason: string;
}

/** Something in the folder that was not published, or was published unexpectedly; never fatal. */
export interface SyncWarning {
  /** Path relative to the schemas folder. */
  file: string;
  message: string;
}

/** Progress of a sync, reported as it happens. */
export type SyncEvent =
  | { type: "file"; result: SyncFileResult }
  | { type: "skipped"; skipped: SyncSkipped }
  | { type: "warning"; warning: SyncWarning };

/** Everything a sync did, in the order it did it. `files` holds every file attempted. */
export interface SyncReport {
  dir: string;
  files: SyncFileResult[];
  skipped: SyncSkipped[];
  warnings: SyncWarning[];
  counts: { created: number; unchanged: number; refused: number; skipped: number };
}

/** Options of `syncSchemasFolder`. */
export interface SyncOptions {
  onProgress?(event: SyncEvent): void;
}

const VERSION_FILE = /^v([1-9][0-9]{0,8})\.json$/;
// `v<N>.references.json` beside `v<N>.json`: Confluent's `[{name, subject, version}]` for that version.
const REFERENCES_FILE = /^v([1-9][0-9]{0,8})\.references\.json$/;

/**
 * Publishes `<dir>/<subject>/v<N>.json` to the registry, subjects in name order and each subject's files in
 * version order, except that a file with references (`v<N>.references.json`) waits for the files it
 * references (sync-order.ts). Idempotent: already-registered schemas come back `unchanged`. A refused file
 * stops its subject (later versions depend on it) but not the others. Infrastructure failures (unreachable
 * server, store errors, auth) are not refusals: they abort the sync by throwing.
 */
export async function syncSchemasFolder(
  dir: string,
  registrar: SchemaRegistrar,
  options: SyncOptions = {},
): Promise<SyncReport> {
  const report: SyncReport = {
    dir,
    files: [],
    skipped: [],
    warnings: [],
    counts: { created: 0, unchanged: 0, refused: 0, skipped: 0 },
  };
  const emit = createEmitter(report, options);
  const files: VersionFile[] = [];
  for (const subject of await listSubjectFolders(dir, emit.warning)) {
    files.push(...(await listVersionFiles(dir, subject, emit.warning)));
  }
  const refusedAt = new Map<string, string>();
  for (const file of publishOrder(files)) await syncOne(dir, file, registrar, emit, refusedAt);
  return report;
}

interface Emitter {
  file(result: SyncFileResult): void;
  skipped(skipped: SyncSkipped): void;
  warning(warning: SyncWarning): void;
}

function createEmitter(report: SyncReport, options: SyncOptions): Emitter {
  return {
    file(result) {
      report.files.push(result);
      report.counts[result.status] += 1;
      options.onProgress?.({ type: "file", result });
    },
    skipped(skipped) {
      report.skipped.push(skipped);
      report.counts.skipped += 1;
      options.onProgress?.({ type: "skipped", skipped });
    },
    warning(warning) {
      report.warnings.push(warning);
      options.onProgress?.({ type: "warning", warning });
    },
  };
}

async function listSubjectFolders(dir: string, warn: (w: SyncWarning) => void): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    throw new StructregError("SR_SCHEMA_SOURCE", `cannot read the schemas folder ${dir}: ${errorText(err)}`, {
      hint: "create it with one folder per subject holding v1.json, v2.json …, or pass another folder",
      cause: err,
    });
  }
  const subjects: string[] = [];
  for (const name of names.sort()) {
    if (name.startsWith(".")) continue; // .git, .DS_Store, editor files: never content
    if (!(await isDirectory(join(dir, name)))) {
      warn({ file: name, message: "not a subject folder (expected <subject>/v<N>.json): skipped" });
    } else if (!SUBJECT_NAME.test(name)) {
      warn({ file: name, message: "folder name is not a valid subject name: skipped" });
    } else {
      subjects.push(name);
    }
  }
  return subjects;
}

interface VersionFile extends FolderFile {
  name: string;
  /** The sidecar could not be read: the file is refused with this. */
  referencesError?: SyncRefusal;
}

async function listVersionFiles(
  dir: string,
  subject: string,
  warn: (w: SyncWarning) => void,
): Promise<VersionFile[]> {
  const files: VersionFile[] = [];
  const names = await readdir(join(dir, subject));
  for (const name of names) {
    if (name.startsWith(".")) continue;
    const match = VERSION_FILE.exec(name);
    const sidecar = REFERENCES_FILE.exec(name);
    if (sidecar !== null && names.includes(`v${sidecar[1]}.json`)) continue; // read with its schema file
    if (match === null || (await isDirectory(join(dir, subject, name)))) {
      const what =
        sidecar === null ? "not a v<N>.json schema file" : `references of a missing v${sidecar[1]}.json`;
      warn({ file: `${subject}/${name}`, message: `${what}: skipped` });
      continue;
    }
    const version = Number(match[1]);
    const refsName = `v${version}.references.json`;
    const read = names.includes(refsName)
      ? await readReferences(join(dir, subject, refsName), `${subject}/${refsName}`)
      : [];
    files.push(
      Array.isArray(read)
        ? { name, subject, version, references: read }
        : { name, subject, version, references: [], referencesError: read },
    );
  }
  return files.sort((a, b) => a.version - b.version);
}

/** A sidecar's references, or the refusal saying what is wrong with it (the registry checks the rest). */
async function readReferences(path: string, file: string): Promise<SchemaReference[] | SyncRefusal> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, "utf8"));
  } catch (err) {
    return { code: "SR_SCHEMA_SOURCE", message: `${file}: ${errorText(err)}` };
  }
  const isReference = (r: unknown): r is SchemaReference =>
    typeof r === "object" &&
    r !== null &&
    typeof (r as SchemaReference).name === "string" &&
    typeof (r as SchemaReference).subject === "string" &&
    Number.isSafeInteger((r as SchemaReference).version);
  if (!Array.isArray(value) || !value.every(isReference)) {
    return {
      code: "SR_SCHEMA_SOURCE",
      message: `${file}: must be a JSON array of {"name", "subject", "version"} (version a number, -1 for the latest)`,
    };
  }
  return value.map((r) => ({ name: r.name, subject: r.subject, version: r.version }));
}

/** Publishes one file, unless an earlier file of its subject was refused (`refusedAt`, per subject). */
async function syncOne(
  dir: string,
  entry: VersionFile,
  registrar: SchemaRegistrar,
  emit: Emitter,
  refusedAt: Map<string, string>,
): Promise<void> {
  const { subject, name, version: fileVersion } = entry;
  const file = `${subject}/${name}`;
  const refused = refusedAt.get(subject);
  if (refused !== undefined) {
    emit.skipped({ subject, file, fileVersion, reason: `${refused} was refused` });
    return;
  }
  const result =
    entry.referencesError === undefined
      ? await syncFile(join(dir, subject, name), entry, file, registrar)
      : { subject, file, fileVersion, status: "refused" as const, error: entry.referencesError };
  if (result.status === "refused") refusedAt.set(subject, file);
  else if (result.version !== fileVersion) {
    emit.warning({ file, message: `registered as version ${result.version}, not ${fileVersion}` });
  }
  emit.file(result);
}

async function syncFile(
  path: string,
  entry: VersionFile,
  file: string,
  registrar: SchemaRegistrar,
): Promise<SyncFileResult> {
  const { subject, version: fileVersion, references } = entry;
  const base = { subject, file, fileVersion };
  let schema: JsonSchema;
  try {
    schema = JSON.parse(await readFile(path, "utf8")) as JsonSchema;
  } catch (err) {
    const error: SyncRefusal = { code: "SR_SCHEMA_SOURCE", message: `${file}: ${errorText(err)}` };
    return { ...base, status: "refused", error };
  }
  try {
    const r = await registrar.register(
      subject,
      schema,
      references.length === 0 ? undefined : { references: [...references] },
    );
    return { ...base, status: r.created ? "created" : "unchanged", version: r.version, id: r.id };
  } catch (err) {
    const refusal = asRefusal(err);
    if (refusal === undefined) throw err;
    return { ...base, status: "refused", error: refusal };
  }
}

/** A refusal of this schema by the registry (4xx other than auth), or undefined for infrastructure failures. */
function asRefusal(err: unknown): SyncRefusal | undefined {
  // Serialising a 10,000-level schema can overflow the stack: that is the schema's fault, not the sync's.
  if (err instanceof RangeError) {
    return { code: "SR_SCHEMA_TOO_DEEP", message: "schema is nested too deeply to process" };
  }
  if (!isStructregError(err)) return undefined;
  const status = err.status;
  if (status < 400 || status >= 500 || status === 401 || status === 403 || status === 404) return undefined;
  return err.details === undefined
    ? { code: err.code, message: err.message }
    : { code: err.code, message: err.message, details: err.details };
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false; // a dangling symlink is reported as a stray file, not a crash
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
