import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { type ErrorCode, isStructregError, StructregError } from "../core/errors.js";
import type { JsonSchema } from "../core/json.js";
import { SUBJECT_NAME } from "../core/model.js";

/** Whatever publishes one schema: the registry service in-process, or the HTTP client from the CLI. */
export interface SchemaRegistrar {
  register(subject: string, schema: JsonSchema): Promise<{ id: number; version: number; created: boolean }>;
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

/**
 * Publishes `<dir>/<subject>/v<N>.json` to the registry, subjects in name order and each subject's files in
 * version order. Idempotent: already-registered schemas come back `unchanged`. A refused file stops its
 * subject (later versions depend on it) but not the others. Infrastructure failures (unreachable server,
 * store errors, auth) are not refusals: they abort the sync by throwing.
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
  for (const subject of await listSubjectFolders(dir, emit.warning)) {
    const files = await listVersionFiles(dir, subject, emit.warning);
    await syncSubject(dir, subject, files, registrar, emit);
  }
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

interface VersionFile {
  name: string;
  version: number;
}

async function listVersionFiles(
  dir: string,
  subject: string,
  warn: (w: SyncWarning) => void,
): Promise<VersionFile[]> {
  const files: VersionFile[] = [];
  for (const name of await readdir(join(dir, subject))) {
    if (name.startsWith(".")) continue;
    const match = VERSION_FILE.exec(name);
    if (match === null || (await isDirectory(join(dir, subject, name)))) {
      warn({ file: `${subject}/${name}`, message: "not a v<N>.json schema file: skipped" });
    } else {
      files.push({ name, version: Number(match[1]) });
    }
  }
  return files.sort((a, b) => a.version - b.version);
}

async function syncSubject(
  dir: string,
  subject: string,
  files: readonly VersionFile[],
  registrar: SchemaRegistrar,
  emit: Emitter,
): Promise<void> {
  let refusedAt: string | undefined;
  for (const { name, version: fileVersion } of files) {
    const file = `${subject}/${name}`;
    if (refusedAt !== undefined) {
      emit.skipped({ subject, file, fileVersion, reason: `${refusedAt} was refused` });
      continue;
    }
    const result = await syncFile(join(dir, subject, name), subject, file, fileVersion, registrar);
    if (result.status === "refused") refusedAt = file;
    else if (result.version !== fileVersion) {
      emit.warning({ file, message: `registered as version ${result.version}, not ${fileVersion}` });
    }
    emit.file(result);
  }
}

async function syncFile(
  path: string,
  subject: string,
  file: string,
  fileVersion: number,
  registrar: SchemaRegistrar,
): Promise<SyncFileResult> {
  const base = { subject, file, fileVersion };
  let schema: JsonSchema;
  try {
    schema = JSON.parse(await readFile(path, "utf8")) as JsonSchema;
  } catch (err) {
    const error: SyncRefusal = { code: "SR_SCHEMA_SOURCE", message: `${file}: ${errorText(err)}` };
    return { ...base, status: "refused", error };
  }
  try {
    const r = await registrar.register(subject, schema);
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
