/**
 * The export file: JSONL, one record per line (see records.ts), a header first and an `end` record last.
 * Reading is streamed with a bound on each line, so a file of any size is read in bounded memory per
 * record; a file without its header, with an unknown format version or without its `end` record (cut
 * short) is refused with SR_IMPORT_SOURCE_INVALID.
 */
import { createReadStream } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { StructregError } from "../../core/errors.js";
import { isJsonObject } from "../../core/json.js";
import { EXPORT_FORMAT, EXPORT_FORMAT_VERSION, type MigrationRecord } from "./records.js";
import { readReferences } from "./source-shapes.js";

/** Longest line read (a version record with its schema text). */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

/** The records of an export file, checked line by line. */
export async function* readExportFile(
  path: string,
  maxLineBytes = MAX_LINE_BYTES,
): AsyncGenerator<MigrationRecord> {
  let lineNumber = 0;
  let sawEnd = false;
  let stream: AsyncIterable<Buffer>;
  try {
    stream = createReadStream(path);
  } catch (err) {
    throw fileError(path, err);
  }
  for await (const text of splitLines(stream, maxLineBytes, path)) {
    lineNumber++;
    if (text.trim() === "") continue;
    if (sawEnd) throw malformed(path, lineNumber, "a record after the end record");
    const record = parseRecord(text, path, lineNumber);
    if (lineNumber === 1 && record.type !== "header") throw malformed(path, 1, "no header line");
    if (record.type === "end") sawEnd = true;
    yield record;
  }
  if (lineNumber === 0) throw malformed(path, 0, "no header line (the file is empty)");
  if (!sawEnd) throw malformed(path, lineNumber, "no end record: the file was cut short");
}

async function* splitLines(input: AsyncIterable<Buffer>, max: number, path: string): AsyncGenerator<string> {
  const decoder = new StringDecoder("utf8");
  let rest = "";
  try {
    for await (const bytes of input) {
      const parts = (rest + decoder.write(bytes)).split("\n");
      rest = parts.pop() ?? "";
      // Length in UTF-16 units bounds the bytes held within a factor of 3: enough for a memory bound.
      if (rest.length > max)
        throw new StructregError("SR_IMPORT_TOO_LARGE", `${path} has a line longer than ${max} bytes`);
      for (const part of parts) {
        if (part.length > max)
          throw new StructregError("SR_IMPORT_TOO_LARGE", `${path} has a line longer than ${max} bytes`);
        yield part;
      }
    }
  } catch (err) {
    throw err instanceof StructregError ? err : fileError(path, err);
  }
  rest += decoder.end();
  if (rest !== "") yield rest;
}

function parseRecord(text: string, path: string, line: number): MigrationRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw malformed(path, line, "a line that is not JSON");
  }
  if (!isJsonObject(value) || typeof value.type !== "string")
    throw malformed(path, line, "a record without a type");
  const problem = RECORD_CHECKS[value.type]?.(value);
  if (problem === undefined)
    throw malformed(path, line, `an unknown record type ${JSON.stringify(value.type)}`);
  if (problem !== "") throw malformed(path, line, problem);
  const record = value as unknown as MigrationRecord;
  if (record.type === "version") record.references = readReferences(value.references, `${path}:${line}`);
  return record;
}

type Check = (r: Record<string, unknown>) => string;

const isInt = (v: unknown) => typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= 2_147_483_647;
const optionalStrings = (r: Record<string, unknown>, keys: string[]) =>
  keys.every((k) => r[k] === undefined || typeof r[k] === "string")
    ? ""
    : `${keys.join("/")} must be strings`;

// Each record type's shape; "" means well formed.
const RECORD_CHECKS: Record<string, Check> = {
  header: (r) => {
    if (r.format !== EXPORT_FORMAT) return `a header whose format is not ${EXPORT_FORMAT}`;
    if (typeof r.formatVersion !== "number" || r.formatVersion > EXPORT_FORMAT_VERSION) {
      return `format version ${String(r.formatVersion)}, newer than this structreg reads (${EXPORT_FORMAT_VERSION})`;
    }
    return r.sourceKind === "confluent" || r.sourceKind === "structreg" ? "" : "a header without sourceKind";
  },
  global: (r) => optionalStrings(r, ["compatibilityLevel", "policy", "profile"]),
  subject: (r) =>
    typeof r.subject === "string"
      ? optionalStrings(r, ["compatibilityLevel", "policy", "profile"])
      : "a subject record without a name",
  version: (r) => {
    if (typeof r.subject !== "string" || !isInt(r.version) || !isInt(r.id))
      return "a version without subject, version and id";
    if (typeof r.schema !== "string" || typeof r.schemaType !== "string")
      return "a version without schema and schemaType";
    if (typeof r.deleted !== "boolean") return "a version without deleted";
    return optionalStrings(r, ["state"]);
  },
  end: (r) =>
    typeof r.subjects === "number" && typeof r.versions === "number" ? "" : "an end record without counts",
};

function malformed(path: string, line: number, what: string): StructregError {
  return new StructregError("SR_IMPORT_SOURCE_INVALID", `${path}:${line}: ${what}`, {
    hint: "import reads files written by `structreg export` (format structreg-export, JSONL)",
  });
}

function fileError(path: string, err: unknown): StructregError {
  const code = (err as { code?: unknown }).code;
  return new StructregError(
    "SR_FILE_ACCESS",
    `cannot read ${path}${typeof code === "string" ? ` (${code})` : ""}`,
    {
      cause: err,
    },
  );
}

/** One record as its export line. */
export function recordLine(record: MigrationRecord): string {
  return `${JSON.stringify(record)}\n`;
}
