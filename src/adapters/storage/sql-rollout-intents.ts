import type { RolloutIntent } from "../../app/rollout-types.js";
import type { RolloutState } from "../../core/rollout/model.js";
import type { RolloutChange } from "../../core/rollout/transitions.js";
import type { SqlExecutor } from "./sql-client.js";
import { changeInProgress } from "./store-errors.js";

interface IntentRow {
  token: string;
  change: RolloutChange;
  previous: RolloutState | null;
}

/** Throws while the subject has an intent younger than `leaseMs`; an older one is left to be replaced. */
export async function refuseLiveIntent(tx: SqlExecutor, subject: string, leaseMs: number): Promise<void> {
  const rows = await tx.query<{ live: boolean }>(
    `SELECT created_at > now() - make_interval(secs => $2::float8 / 1000) AS live
     FROM structreg_rollout_intents WHERE subject = $1`,
    [subject, leaseMs],
  );
  if (rows[0]?.live === true) throw changeInProgress(subject);
}

/** Records (or replaces) the subject's intent. */
export async function writeIntent(tx: SqlExecutor, intent: RolloutIntent): Promise<void> {
  await tx.query(
    `INSERT INTO structreg_rollout_intents (subject, token, change, previous, created_at)
     VALUES ($1, $2, $3::jsonb, $4::jsonb, now())
     ON CONFLICT (subject) DO UPDATE SET token = EXCLUDED.token, change = EXCLUDED.change,
       previous = EXCLUDED.previous, created_at = EXCLUDED.created_at`,
    [
      intent.change.state.subject,
      intent.token,
      JSON.stringify(intent.change),
      intent.previous === undefined ? null : JSON.stringify(intent.previous),
    ],
  );
}

/** Deletes the intent if it is still this one; false when it is gone or was replaced. */
export async function dropIntent(tx: SqlExecutor, intent: RolloutIntent): Promise<boolean> {
  const rows = await tx.query<{ token: string }>(
    "DELETE FROM structreg_rollout_intents WHERE subject = $1 AND token = $2 RETURNING token",
    [intent.change.state.subject, intent.token],
  );
  return rows.length > 0;
}

/** Intents older than `leaseMs`, oldest first. */
export async function selectStaleIntents(db: SqlExecutor, leaseMs: number): Promise<RolloutIntent[]> {
  const rows = await db.query<IntentRow>(
    `SELECT token, change, previous FROM structreg_rollout_intents
     WHERE created_at <= now() - make_interval(secs => $1::float8 / 1000) ORDER BY created_at`,
    [leaseMs],
  );
  return rows.map((r) => ({
    token: r.token,
    change: r.change,
    previous: r.previous ?? undefined,
  }));
}
