/**
 * The SQL of schema references: storing a new schema's references, holding the versions it references
 * while it registers, answering `referencedby` and refusing to delete a referenced version.
 *
 * Concurrency: a registration takes a share lock (FOR SHARE) on each version it references, and a delete takes
 * an update lock (FOR UPDATE) on the versions it deletes before it looks for referrers, so a delete either
 * waits for the registration's commit (and then sees its referrer) or runs first (and the registration then
 * finds the version gone). Neither takes a second subject's advisory lock, so no two subjects deadlock.
 */
import type { SchemaReference } from "../../core/schema/references.js";
import type { SqlExecutor } from "./sql-client.js";
import { STORE_ERRORS } from "./store-errors.js";

/** Holds the live versions a registration references; throws SR_REFERENCE_NOT_FOUND for one missing. */
export async function lockReferencedVersions(
  tx: SqlExecutor,
  references: readonly SchemaReference[],
): Promise<void> {
  for (const ref of references) {
    const rows = await tx.query<{ version: number }>(
      "SELECT version FROM structreg_versions WHERE subject = $1 AND version = $2 AND NOT deleted FOR SHARE",
      [ref.subject, ref.version],
    );
    if (rows.length === 0) throw STORE_ERRORS.referenceNotFound(ref.subject, ref.version);
  }
}

/** Stores the references of a schema row this transaction just inserted. */
export async function insertReferences(
  tx: SqlExecutor,
  schemaId: number,
  references: readonly SchemaReference[],
): Promise<void> {
  for (const [position, ref] of references.entries()) {
    await tx.query(
      `INSERT INTO structreg_schema_references (schema_id, position, name, subject, version)
       VALUES ($1, $2, $3, $4, $5)`,
      [schemaId, position, ref.name, ref.subject, ref.version],
    );
  }
}

/** Ids of the schemas whose live versions reference `subject` at `version`, ascending. */
export async function selectReferencedBy(
  db: SqlExecutor,
  subject: string,
  version: number,
): Promise<number[]> {
  const rows = await db.query<{ id: number }>(
    `SELECT DISTINCT r.schema_id AS id FROM structreg_schema_references r
     JOIN structreg_versions v ON v.schema_id = r.schema_id AND NOT v.deleted
     WHERE r.subject = $1 AND r.version = $2 ORDER BY id`,
    [subject, version],
  );
  return rows.map((r) => r.id);
}

/**
 * Throws SR_REFERENCE_EXISTS when a version of another schema references one of `versions` of `subject`:
 * a live one always, a soft-deleted one too for a permanent delete (it can still be read and restored by id).
 * Locks the versions first (see the module comment). Referrers under the same subject count as well.
 */
export async function assertNotReferenced(
  tx: SqlExecutor,
  subject: string,
  versions: readonly number[],
  permanent: boolean,
): Promise<void> {
  if (versions.length === 0) return;
  await tx.query(
    "SELECT version FROM structreg_versions WHERE subject = $1 AND version = ANY($2::int[]) FOR UPDATE",
    [subject, versions],
  );
  const rows = await tx.query<{ target: number; subject: string; version: number }>(
    `SELECT r.version AS target, v.subject, v.version FROM structreg_schema_references r
     JOIN structreg_versions v ON v.schema_id = r.schema_id AND ($3::boolean OR NOT v.deleted)
     WHERE r.subject = $1 AND r.version = ANY($2::int[])
       AND NOT (v.subject = $1 AND v.version = ANY($2::int[]))
     ORDER BY r.version, v.subject COLLATE "C", v.version LIMIT 5`,
    [subject, versions, permanent],
  );
  const first = rows[0];
  if (first === undefined) return;
  const referrers = rows.filter((r) => r.target === first.target).map((r) => `${r.subject}@${r.version}`);
  throw STORE_ERRORS.referenceExists(subject, first.target, referrers);
}
