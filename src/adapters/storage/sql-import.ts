import type { RegisterInput, RegisterResult } from "../../app/ports.js";
import { StructregError } from "../../core/errors.js";
import { idConflict, replayOfVersion, schemaHasOtherId } from "./explicit-register.js";
import type { SqlExecutor } from "./sql-client.js";
import { insertReferences } from "./sql-references.js";

/** Advisory lock serialising raises of the schema id sequence (a check-then-set). */
const ID_SEQUENCE_LOCK = "structreg:schema-ids";
/** A new id that collides with an imported one is drawn again, at most this many times. */
const ID_ATTEMPTS = 5;

/** A registration at an explicit version that is already stored: its replay, or a conflict. */
export async function replayAtVersion(
  tx: SqlExecutor,
  input: RegisterInput & { version: number },
): Promise<RegisterResult | undefined> {
  const rows = await tx.query<{ id: number; fingerprint: string; version: number }>(
    `SELECT v.schema_id AS id, s.fingerprint, v.version FROM structreg_versions v
     JOIN structreg_schemas s ON s.id = v.schema_id WHERE v.subject = $1 AND v.version = $2`,
    [input.subject, input.version],
  );
  return replayOfVersion(rows[0], input);
}

/**
 * Stores the schema under its explicit id (IMPORT). The id sequence is raised first, so ids drawn later never
 * collide with it; a concurrent draw that got there first makes this an id conflict, never a duplicate id.
 */
export async function importedSchemaId(
  tx: SqlExecutor,
  input: RegisterInput & { id: number },
): Promise<number> {
  const byFingerprint = await tx.query<{ id: number }>(
    "SELECT id FROM structreg_schemas WHERE fingerprint = $1",
    [input.fingerprint],
  );
  const existing = byFingerprint[0]?.id;
  if (existing !== undefined && existing !== input.id) throw schemaHasOtherId(input.id, existing);
  if (existing === input.id) return existing;
  await raiseIdSequence(tx, input.id);
  const inserted = await tx.query<{ id: number }>(
    "INSERT INTO structreg_schemas (id, fingerprint, schema) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING id",
    [input.id, input.fingerprint, input.schema],
  );
  // Only the transaction that inserted the row writes its references (the fingerprint covers them).
  if (inserted[0] !== undefined) await insertReferences(tx, inserted[0].id, input.references ?? []);
  const [row] = await tx.query<{ fingerprint: string }>(
    "SELECT fingerprint FROM structreg_schemas WHERE id = $1",
    [input.id],
  );
  if (row?.fingerprint !== input.fingerprint) {
    const other = await tx.query<{ id: number }>("SELECT id FROM structreg_schemas WHERE fingerprint = $1", [
      input.fingerprint,
    ]);
    if (other[0] !== undefined) throw schemaHasOtherId(input.id, other[0].id);
    throw idConflict(input.id);
  }
  return input.id;
}

/** Raises (never lowers) the identity sequence of structreg_schemas to at least `id`. */
async function raiseIdSequence(tx: SqlExecutor, id: number): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('${ID_SEQUENCE_LOCK}'))`);
  await tx.query(
    `SELECT setval(q.seq, $1::integer) FROM (SELECT pg_get_serial_sequence('structreg_schemas', 'id')::regclass AS seq) q
     WHERE $1::integer > COALESCE(pg_sequence_last_value(q.seq), 0)`,
    [id],
  );
}

/**
 * The global id of a fingerprint, created when new. Another subject may insert the same fingerprint at the
 * same moment (different subject lock): ON CONFLICT DO NOTHING then a select gives both the one id. A drawn id
 * an import took meanwhile conflicts too: the draw is repeated (bounded).
 */
export async function schemaIdFor(tx: SqlExecutor, input: RegisterInput): Promise<number> {
  const select = "SELECT id FROM structreg_schemas WHERE fingerprint = $1";
  for (let attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
    const found = await tx.query<{ id: number }>(select, [input.fingerprint]);
    if (found[0] !== undefined) return found[0].id;
    const inserted = await tx.query<{ id: number }>(
      "INSERT INTO structreg_schemas (fingerprint, schema) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING id",
      [input.fingerprint, input.schema],
    );
    // Only the transaction that inserted the row writes its references (the fingerprint covers them).
    if (inserted[0] !== undefined) {
      await insertReferences(tx, inserted[0].id, input.references ?? []);
      return inserted[0].id;
    }
  }
  const [row] = await tx.query<{ id: number }>(select, [input.fingerprint]);
  if (row !== undefined) return row.id;
  throw new StructregError("SR_STORE_ERROR", `No free schema id after ${ID_ATTEMPTS} attempts`, {
    hint: "retry: ids were being imported at the same moment",
  });
}

/** The version number to store at: the explicit one (raising the subject's high-water mark), else the next. */
export async function claimVersion(tx: SqlExecutor, input: RegisterInput): Promise<number> {
  const [row] = await tx.query<{ last_version: number }>(
    `INSERT INTO structreg_subjects (subject, last_version) VALUES ($1, COALESCE($2::integer, 1))
     ON CONFLICT (subject) DO UPDATE SET last_version =
       CASE WHEN $2::integer IS NULL THEN structreg_subjects.last_version + 1
            ELSE GREATEST(structreg_subjects.last_version, $2::integer) END
     RETURNING last_version`,
    [input.subject, input.version ?? null],
  );
  return input.version ?? row!.last_version;
}
