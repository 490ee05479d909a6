import type {
  RegisterInput,
  RegisterResult,
  RegistrationConfigs,
  RegistrationGuard,
  SchemaRecord,
  SchemaStore,
  StoredModes,
  SubjectConfig,
  VersionRecord,
} from "../../app/ports.js";
import type { RegistryMode, VersionState } from "../../core/model.js";
import { idempotentMatch } from "./explicit-register.js";
import type { SqlClient, SqlExecutor } from "./sql-client.js";
import { claimVersion, importedSchemaId, replayAtVersion, schemaIdFor } from "./sql-import.js";
import { removeMode, selectModes, upsertMode } from "./sql-modes.js";
import { assertNotReferenced, lockReferencedVersions, selectReferencedBy } from "./sql-references.js";
import {
  type ConfigRow,
  configKey,
  parseReferences,
  referencesOf,
  toSubjectConfig,
  toVersionRecord,
  VERSION_COLUMNS,
  VERSION_FROM,
  type VersionRow,
} from "./sql-rows.js";
import { STORE_ERRORS, type SubjectLiveness, subjectLiveness } from "./store-errors.js";

/** SchemaStore over a SqlClient (PGlite or PostgreSQL, after `migrate`). */
export function createSqlSchemaStore(client: SqlClient): SchemaStore {
  return new SqlSchemaStore(client);
}

class SqlSchemaStore implements SchemaStore {
  constructor(private readonly client: SqlClient) {}

  register(input: RegisterInput, guard: RegistrationGuard): Promise<RegisterResult> {
    return this.withSubject(input.subject, (tx) => register(tx, input, guard));
  }

  async listSubjects(options?: { includeDeleted?: boolean }): Promise<string[]> {
    const rows = await this.client.query<{ subject: string }>(
      `SELECT subject FROM structreg_versions GROUP BY subject
       HAVING $1::boolean OR bool_or(NOT deleted) ORDER BY subject COLLATE "C"`,
      [options?.includeDeleted === true],
    );
    return rows.map((r) => r.subject);
  }

  listVersions(subject: string, options?: { includeDeleted?: boolean }): Promise<VersionRecord[]> {
    return selectVersions(this.client, subject, options?.includeDeleted === true);
  }

  async getVersion(subject: string, version: number): Promise<VersionRecord | undefined> {
    const rows = await this.client.query<VersionRow>(
      `SELECT ${VERSION_COLUMNS} FROM ${VERSION_FROM} WHERE v.subject = $1 AND v.version = $2`,
      [subject, version],
    );
    return rows[0] === undefined ? undefined : toVersionRecord(rows[0]);
  }

  async getSchemaById(id: number): Promise<SchemaRecord | undefined> {
    const rows = await this.client.query<Omit<SchemaRecord, "references"> & { refs: string }>(
      `SELECT id, fingerprint, schema, ${referencesOf("id")} AS refs FROM structreg_schemas WHERE id = $1`,
      [id],
    );
    const row = rows[0];
    if (row === undefined) return undefined;
    const { refs, ...record } = row;
    return { ...record, references: parseReferences(refs) };
  }

  listReferencedBy(subject: string, version: number): Promise<number[]> {
    return selectReferencedBy(this.client, subject, version);
  }

  listVersionsBySchemaId(
    id: number,
    options?: { includeDeleted?: boolean },
  ): Promise<Array<{ subject: string; version: number }>> {
    return this.client.query<{ subject: string; version: number }>(
      `SELECT subject, version FROM structreg_versions WHERE schema_id = $1 AND ($2::boolean OR NOT deleted)
       ORDER BY subject COLLATE "C", version`,
      [id, options?.includeDeleted === true],
    );
  }

  softDeleteVersion(subject: string, version: number): Promise<void> {
    return this.withSubject(subject, async (tx) => {
      if ((await liveness(tx, subject)) !== "live") throw STORE_ERRORS.subjectNotFound(subject);
      const row = await findVersion(tx, subject, version);
      if (row.deleted) throw STORE_ERRORS.versionSoftDeleted(subject, version);
      await assertNotReferenced(tx, subject, [version], false);
      await tx.query("UPDATE structreg_versions SET deleted = true WHERE subject = $1 AND version = $2", [
        subject,
        version,
      ]);
    });
  }

  hardDeleteVersion(subject: string, version: number): Promise<void> {
    return this.withSubject(subject, async (tx) => {
      if ((await liveness(tx, subject)) === "unknown") throw STORE_ERRORS.subjectNotFound(subject);
      const row = await findVersion(tx, subject, version);
      if (!row.deleted) throw STORE_ERRORS.versionNotSoftDeleted(subject, version);
      await assertNotReferenced(tx, subject, [version], true);
      await tx.query("DELETE FROM structreg_versions WHERE subject = $1 AND version = $2", [
        subject,
        version,
      ]);
    });
  }

  softDeleteSubject(subject: string): Promise<number[]> {
    return this.withSubject(subject, async (tx) => {
      const status = await liveness(tx, subject);
      if (status === "unknown") throw STORE_ERRORS.subjectNotFound(subject);
      if (status === "deleted") throw STORE_ERRORS.subjectSoftDeleted(subject);
      await assertNotReferenced(tx, subject, await versionNumbers(tx, subject), false);
      const rows = await tx.query<{ version: number }>(
        "UPDATE structreg_versions SET deleted = true WHERE subject = $1 AND NOT deleted RETURNING version",
        [subject],
      );
      return ascending(rows);
    });
  }

  hardDeleteSubject(subject: string): Promise<number[]> {
    return this.withSubject(subject, async (tx) => {
      const status = await liveness(tx, subject);
      if (status === "unknown") throw STORE_ERRORS.subjectNotFound(subject);
      if (status === "live") throw STORE_ERRORS.subjectNotSoftDeleted(subject);
      await assertNotReferenced(tx, subject, await versionNumbers(tx, subject), true);
      const rows = await tx.query<{ version: number }>(
        "DELETE FROM structreg_versions WHERE subject = $1 RETURNING version",
        [subject],
      );
      // The subject row goes too, so a subject registered again under this name starts at version 1.
      await tx.query("DELETE FROM structreg_subjects WHERE subject = $1", [subject]);
      await tx.query("DELETE FROM structreg_configs WHERE subject = $1", [configKey(subject)]);
      await removeMode(tx, subject);
      return ascending(rows);
    });
  }

  setVersionState(subject: string, version: number, state: VersionState): Promise<void> {
    return this.withSubject(subject, async (tx) => {
      if ((await liveness(tx, subject)) === "unknown") throw STORE_ERRORS.subjectNotFound(subject);
      const row = await findVersion(tx, subject, version);
      if (row.deleted) throw STORE_ERRORS.versionSoftDeleted(subject, version);
      await tx.query("UPDATE structreg_versions SET state = $3 WHERE subject = $1 AND version = $2", [
        subject,
        version,
        state,
      ]);
    });
  }

  async getConfig(subject: string | null): Promise<SubjectConfig | undefined> {
    const rows = await this.client.query<ConfigRow>(
      "SELECT compatibility, policy, profile FROM structreg_configs WHERE subject = $1",
      [configKey(subject)],
    );
    return rows[0] === undefined ? undefined : toSubjectConfig(rows[0]);
  }

  setConfig(subject: string | null, patch: SubjectConfig): Promise<SubjectConfig> {
    return this.withConfig(subject, (tx) => upsertConfig(tx, subject, patch));
  }

  deleteConfig(subject: string | null): Promise<SubjectConfig | undefined> {
    return this.withConfig(subject, async (tx) => {
      const rows = await tx.query<ConfigRow>(
        "DELETE FROM structreg_configs WHERE subject = $1 RETURNING compatibility, policy, profile",
        [configKey(subject)],
      );
      return rows[0] === undefined ? undefined : toSubjectConfig(rows[0]);
    });
  }

  getModes(subject: string | null): Promise<StoredModes> {
    return selectModes(this.client, subject);
  }

  setMode(subject: string | null, mode: RegistryMode, options?: { ifEmpty?: boolean }): Promise<boolean> {
    return this.withConfig(subject, (tx) => upsertMode(tx, subject, mode, options?.ifEmpty === true));
  }

  deleteMode(subject: string | null): Promise<RegistryMode | undefined> {
    return this.withConfig(subject, (tx) => removeMode(tx, subject));
  }

  async ping(): Promise<void> {
    await this.client.query("SELECT 1");
  }

  close(): Promise<void> {
    return this.client.close();
  }

  /**
   * A config change waits for the registrations that may have read the config it replaces: a subject's
   * config under the subject's lock, the global one under the global lock every registration shares.
   */
  private withConfig<T>(subject: string | null, fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    if (subject !== null) return this.withSubject(subject, fn);
    return this.client.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('${GLOBAL_CONFIG_LOCK}'))`);
      return fn(tx);
    });
  }

  /** Runs `fn` in a transaction holding the subject's lock, so changes to one subject never interleave. */
  private withSubject<T>(subject: string, fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.client.transaction(async (tx) => {
      await lockSubject(tx, subject);
      return fn(tx);
    });
  }
}

/** Advisory lock key of the global config: registrations share it, a global config change takes it alone. */
const GLOBAL_CONFIG_LOCK = "structreg:config:global";

function ascending(rows: Array<{ version: number }>): number[] {
  return rows.map((r) => r.version).sort((a, b) => a - b);
}

/**
 * Serialises changes to one subject, also across processes sharing a PostgreSQL: released at commit or
 * rollback. hashtext collisions only make two subjects wait for each other, never break correctness.
 */
async function lockSubject(tx: SqlExecutor, subject: string): Promise<void> {
  await tx.query("SELECT pg_advisory_xact_lock(hashtext('structreg:subject:' || $1::text))", [subject]);
}

async function register(
  tx: SqlExecutor,
  input: RegisterInput,
  guard: RegistrationGuard,
): Promise<RegisterResult> {
  // Read after taking the lock: under READ COMMITTED each statement sees the previous holder's commit.
  const undeleted = await selectVersions(tx, input.subject, false);
  const existing = idempotentMatch(undeleted, input);
  if (existing !== undefined) return existing;
  if (input.version !== undefined) {
    const replay = await replayAtVersion(tx, { ...input, version: input.version });
    if (replay !== undefined) return replay;
  }
  await tx.query(`SELECT pg_advisory_xact_lock_shared(hashtext('${GLOBAL_CONFIG_LOCK}'))`);
  await guard(undeleted, {
    ...(await selectConfigs(tx, input.subject)),
    modes: await selectModes(tx, input.subject),
  });
  await lockReferencedVersions(tx, input.references ?? []);
  const id =
    input.id === undefined
      ? await schemaIdFor(tx, input)
      : await importedSchemaId(tx, { ...input, id: input.id });
  const version = await claimVersion(tx, input);
  await tx.query("INSERT INTO structreg_versions (subject, version, schema_id) VALUES ($1, $2, $3)", [
    input.subject,
    version,
    id,
  ]);
  return { id, version, created: true };
}

async function selectVersions(
  db: SqlExecutor,
  subject: string,
  includeDeleted: boolean,
): Promise<VersionRecord[]> {
  const rows = await db.query<VersionRow>(
    `SELECT ${VERSION_COLUMNS} FROM ${VERSION_FROM} WHERE v.subject = $1 AND ($2::boolean OR NOT v.deleted)
     ORDER BY v.version`,
    [subject, includeDeleted],
  );
  return rows.map(toVersionRecord);
}

async function selectConfigs(tx: SqlExecutor, subject: string): Promise<Omit<RegistrationConfigs, "modes">> {
  const rows = await tx.query<ConfigRow & { subject: string }>(
    "SELECT subject, compatibility, policy, profile FROM structreg_configs WHERE subject IN ($1, $2)",
    [configKey(subject), configKey(null)],
  );
  const find = (key: string) => {
    const row = rows.find((r) => r.subject === key);
    return row === undefined ? undefined : toSubjectConfig(row);
  };
  return { subject: find(configKey(subject)), global: find(configKey(null)) };
}

async function versionNumbers(tx: SqlExecutor, subject: string): Promise<number[]> {
  const rows = await tx.query<{ version: number }>(
    "SELECT version FROM structreg_versions WHERE subject = $1",
    [subject],
  );
  return rows.map((r) => r.version);
}

async function liveness(tx: SqlExecutor, subject: string): Promise<SubjectLiveness> {
  const rows = await tx.query<{ deleted: boolean }>(
    "SELECT deleted FROM structreg_versions WHERE subject = $1",
    [subject],
  );
  return subjectLiveness(rows.map((r) => r.deleted));
}

async function findVersion(tx: SqlExecutor, subject: string, version: number): Promise<{ deleted: boolean }> {
  const rows = await tx.query<{ deleted: boolean }>(
    "SELECT deleted FROM structreg_versions WHERE subject = $1 AND version = $2",
    [subject, version],
  );
  if (rows[0] === undefined) throw STORE_ERRORS.versionNotFound(subject, version);
  return rows[0];
}

/** One statement, so two concurrent patches of one config both land (no read-modify-write race). */
async function upsertConfig(
  db: SqlExecutor,
  subject: string | null,
  patch: SubjectConfig,
): Promise<SubjectConfig> {
  const [row] = await db.query<ConfigRow>(
    `INSERT INTO structreg_configs (subject, compatibility, policy, profile) VALUES ($1, $2, $3, $4)
     ON CONFLICT (subject) DO UPDATE SET
       compatibility = COALESCE(EXCLUDED.compatibility, structreg_configs.compatibility),
       policy = COALESCE(EXCLUDED.policy, structreg_configs.policy),
       profile = COALESCE(EXCLUDED.profile, structreg_configs.profile)
     RETURNING compatibility, policy, profile`,
    [configKey(subject), patch.compatibility ?? null, patch.policy ?? null, patch.profile ?? null],
  );
  return toSubjectConfig(row!);
}
