import type { StoredModes } from "../../app/ports.js";
import { isRegistryMode, type RegistryMode } from "../../core/model.js";
import type { SqlExecutor } from "./sql-client.js";
import { configKey } from "./sql-rows.js";

/** A subject's own and the global mode (subject null: the global one only). */
export async function selectModes(db: SqlExecutor, subject: string | null): Promise<StoredModes> {
  const rows = await db.query<{ subject: string; mode: string }>(
    "SELECT subject, mode FROM structreg_modes WHERE subject IN ($1, $2)",
    [configKey(subject), configKey(null)],
  );
  const find = (key: string) => {
    const mode = rows.find((r) => r.subject === key)?.mode;
    return isRegistryMode(mode) ? mode : undefined;
  };
  return { subject: subject === null ? undefined : find(configKey(subject)), global: find(configKey(null)) };
}

/**
 * Writes a mode; with `ifEmpty`, only when the scope (one subject, or every subject) has no live version.
 * Runs under the scope's lock, so no registration of the scope commits between the check and the write.
 */
export async function upsertMode(
  tx: SqlExecutor,
  subject: string | null,
  mode: RegistryMode,
  ifEmpty: boolean,
): Promise<boolean> {
  if (ifEmpty) {
    const live = await tx.query<{ live: boolean }>(
      "SELECT EXISTS (SELECT 1 FROM structreg_versions WHERE NOT deleted AND ($1::text IS NULL OR subject = $1)) AS live",
      [subject],
    );
    if (live[0]?.live === true) return false;
  }
  await tx.query(
    `INSERT INTO structreg_modes (subject, mode) VALUES ($1, $2)
     ON CONFLICT (subject) DO UPDATE SET mode = EXCLUDED.mode`,
    [configKey(subject), mode],
  );
  return true;
}

/** Removes a mode; returns what was there. */
export async function removeMode(tx: SqlExecutor, subject: string | null): Promise<RegistryMode | undefined> {
  const rows = await tx.query<{ mode: string }>(
    "DELETE FROM structreg_modes WHERE subject = $1 RETURNING mode",
    [configKey(subject)],
  );
  const mode = rows[0]?.mode;
  return isRegistryMode(mode) ? mode : undefined;
}
