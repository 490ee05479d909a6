import type { SubjectConfig, VersionRecord } from "../../app/ports.js";
import { StructregError } from "../../core/errors.js";
import { isCompatibilityLevel, isCompatibilityPolicy, isProfile, isVersionState } from "../../core/model.js";
import type { SchemaReference } from "../../core/schema/references.js";

/**
 * The references of a schema id as JSON text, in the author's order (`[]` for none): one subquery on the
 * primary key, so a version list stays one query. Text, so PGlite and pg hand back the same thing.
 */
export function referencesOf(schemaId: string): string {
  return `(SELECT COALESCE(json_agg(json_build_object('name', r.name, 'subject', r.subject, 'version', r.version)
    ORDER BY r.position), '[]'::json)::text FROM structreg_schema_references r WHERE r.schema_id = ${schemaId})`;
}

/** Columns selected for a VersionRecord; created_at is formatted in SQL so both drivers give the same text. */
export const VERSION_COLUMNS = `v.subject, v.version, v.schema_id AS id, s.fingerprint, s.schema, v.state, v.deleted,
  to_char(v.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
  ${referencesOf("v.schema_id")} AS refs`;

/** FROM clause matching VERSION_COLUMNS. */
export const VERSION_FROM = "structreg_versions v JOIN structreg_schemas s ON s.id = v.schema_id";

/** A row of VERSION_COLUMNS. */
export interface VersionRow {
  subject: string;
  version: number;
  id: number;
  fingerprint: string;
  schema: string;
  state: string;
  deleted: boolean;
  created_at: string;
  refs: string;
}

/** Maps a VERSION_COLUMNS row to the port's record. */
export function toVersionRecord(row: VersionRow): VersionRecord {
  if (!isVersionState(row.state)) {
    throw new StructregError("SR_STORE_ERROR", `Stored version has an unknown state '${row.state}'.`);
  }
  return {
    subject: row.subject,
    version: row.version,
    id: row.id,
    fingerprint: row.fingerprint,
    schema: row.schema,
    state: row.state,
    deleted: row.deleted,
    createdAt: row.created_at,
    references: parseReferences(row.refs),
  };
}

/** The `refs` column (referencesOf) as the port's list. */
export function parseReferences(refs: string): SchemaReference[] {
  return refs === "[]" ? [] : (JSON.parse(refs) as SchemaReference[]);
}

/** A row of structreg_configs. */
export interface ConfigRow {
  compatibility: string | null;
  policy: string | null;
  profile: string | null;
}

/** Maps a config row to a SubjectConfig holding only the fields that are set. */
export function toSubjectConfig(row: ConfigRow): SubjectConfig {
  const config: SubjectConfig = {};
  if (isCompatibilityLevel(row.compatibility)) config.compatibility = row.compatibility;
  if (isCompatibilityPolicy(row.policy)) config.policy = row.policy;
  if (isProfile(row.profile)) config.profile = row.profile;
  return config;
}

/** Key of a config row: the subject, or '' for the global config (no valid subject name is empty). */
export function configKey(subject: string | null): string {
  return subject ?? "";
}
