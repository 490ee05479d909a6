/**
 * What an import reads and an export writes: a stream of records. The export file is exactly these records,
 * one JSON object per line (JSONL), so `import --from file` and `import --from <url>` share everything
 * after the reader.
 */

/** Version of the export format; a reader refuses a file of a newer major. */
export const EXPORT_FORMAT = "structreg-export";
export const EXPORT_FORMAT_VERSION = 1;

/** A Confluent schema reference: `name` is the `$ref` target the schema uses. */
export interface SchemaReference {
  name: string;
  subject: string;
  version: number;
}

/** Compatibility settings (Confluent's level; structreg's policy and profile when the source has them). */
export interface Settings {
  compatibilityLevel?: string;
  policy?: string;
  profile?: string;
}

/** First line: what the file (or the source) is. */
export interface HeaderRecord {
  type: "header";
  format: typeof EXPORT_FORMAT;
  formatVersion: number;
  /** The source's URL without credentials, or the file's name. */
  source: string;
  /** `structreg` when the source answered structreg's own fields (version states), else `confluent`. */
  sourceKind: "confluent" | "structreg";
  createdAt: string;
}

/** The source's global settings. */
export interface GlobalRecord extends Settings {
  type: "global";
}

/** One subject and its own settings (absent fields: the subject follows the global ones). */
export interface SubjectRecord extends Settings {
  type: "subject";
  subject: string;
}

/** One version of a subject, soft-deleted or not. */
export interface VersionRecord {
  type: "version";
  subject: string;
  version: number;
  id: number;
  schemaType: string;
  /** The schema as JSON text, as the source answered it. */
  schema: string;
  references: SchemaReference[];
  deleted: boolean;
  /** structreg's version state, when the source is structreg. */
  state?: string;
}

/** Last line: counts, so a truncated file is told from a complete one. */
export interface EndRecord {
  type: "end";
  subjects: number;
  versions: number;
}

/** Any record of the stream. */
export type MigrationRecord = HeaderRecord | GlobalRecord | SubjectRecord | VersionRecord | EndRecord;

/** Everything an import needs, gathered from a record stream. */
export interface SourceSnapshot {
  header: HeaderRecord;
  global: Settings;
  subjects: SubjectRecord[];
  versions: VersionRecord[];
}

/** A version's key in plans, state files and reports: `subject@version`. */
export function versionKey(subject: string, version: number): string {
  return `${subject}@${version}`;
}
