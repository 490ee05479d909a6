import type { RolloutIntent, RolloutStore } from "../../app/rollout-types.js";
import { StructregError } from "../../core/errors.js";
import {
  type GuardFigures,
  type GuardSettings,
  isRolloutStage,
  type RolloutAction,
  type RolloutEvent,
  type RolloutSnapshot,
  type RolloutState,
} from "../../core/rollout/model.js";
import type { RolloutChange } from "../../core/rollout/transitions.js";
import type { SqlClient, SqlExecutor } from "./sql-client.js";
import { dropIntent, refuseLiveIntent, selectStaleIntents, writeIntent } from "./sql-rollout-intents.js";
import { replacedIntent } from "./store-errors.js";

/** The NOTIFY channel a committed rollout change is announced on (payload: the subject). */
export const ROLLOUT_CHANNEL = "structreg_rollout";

const TIME = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const STATE_COLUMNS = `subject, stable, candidate, percent, stage, guard, revision,
  ${TIME("updated_at")} AS updated_at, updated_by`;

const EVENT_COLUMNS = `id::int8 AS id, subject, revision, action, who, ${TIME("at")} AS at,
  from_state, to_state, reason, figures`;

interface StateRow {
  subject: string;
  stable: number;
  candidate: number | null;
  percent: number;
  stage: string;
  guard: GuardSettings;
  revision: number;
  updated_at: string;
  updated_by: string;
}

interface EventRow {
  id: number | bigint | string;
  subject: string;
  revision: number;
  action: string;
  who: string;
  at: string;
  from_state: RolloutSnapshot | null;
  to_state: RolloutSnapshot;
  reason: string | null;
  figures: GuardFigures | null;
}

/** RolloutStore over a SqlClient (PGlite or PostgreSQL, after `migrate`). */
export function createSqlRolloutStore(client: SqlClient): RolloutStore {
  return new SqlRolloutStore(client);
}

class SqlRolloutStore implements RolloutStore {
  constructor(private readonly client: SqlClient) {}

  async get(subject: string): Promise<RolloutState | undefined> {
    return selectState(this.client, subject, false);
  }

  async list(): Promise<RolloutState[]> {
    const rows = await this.client.query<StateRow>(
      `SELECT ${STATE_COLUMNS} FROM structreg_rollouts ORDER BY subject COLLATE "C"`,
    );
    return rows.map(toState);
  }

  update(
    subject: string,
    plan: (current: RolloutState | undefined) => RolloutChange,
  ): Promise<RolloutChange> {
    return this.client.transaction(async (tx) => {
      await lockRollout(tx, subject);
      const change = plan(await selectState(tx, subject, true));
      await commitChange(tx, change);
      return change;
    });
  }

  propose(
    subject: string,
    plan: (current: RolloutState | undefined) => RolloutChange,
    options: { token: string; leaseMs: number },
  ): Promise<RolloutIntent> {
    return this.client.transaction(async (tx) => {
      await lockRollout(tx, subject);
      await refuseLiveIntent(tx, subject, options.leaseMs);
      const previous = await selectState(tx, subject, true);
      const intent: RolloutIntent = { token: options.token, change: plan(previous), previous };
      await writeIntent(tx, intent);
      return intent;
    });
  }

  confirm(intent: RolloutIntent): Promise<RolloutChange> {
    const { subject } = intent.change.state;
    return this.client.transaction(async (tx) => {
      await lockRollout(tx, subject);
      if (!(await dropIntent(tx, intent))) throw replacedIntent(subject);
      await commitChange(tx, intent.change);
      return intent.change;
    });
  }

  async abandon(intent: RolloutIntent): Promise<void> {
    await this.client.transaction(async (tx) => {
      await lockRollout(tx, intent.change.state.subject);
      await dropIntent(tx, intent);
    });
  }

  staleIntents(leaseMs: number): Promise<RolloutIntent[]> {
    return selectStaleIntents(this.client, leaseMs);
  }

  async history(subject: string, options: { limit: number; before?: number }): Promise<RolloutEvent[]> {
    const rows = await this.client.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM structreg_rollout_events
       WHERE subject = $1 AND ($2::int8 IS NULL OR id < $2::int8) ORDER BY id DESC LIMIT $3`,
      [subject, options.before ?? null, options.limit],
    );
    return rows.map(toEvent);
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

/** Serialises changes of one subject across processes, also before its first row exists. */
async function lockRollout(tx: SqlExecutor, subject: string): Promise<void> {
  await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`structreg:rollout:${subject}`]);
}

/** Writes the new state and its audit event, and announces it (delivered to listeners only at commit). */
async function commitChange(tx: SqlExecutor, change: RolloutChange): Promise<void> {
  await writeState(tx, change.state);
  await insertEvent(tx, change);
  await tx.query("SELECT pg_notify($1, $2)", [ROLLOUT_CHANNEL, change.state.subject]);
}

async function selectState(
  runner: SqlExecutor,
  subject: string,
  forUpdate: boolean,
): Promise<RolloutState | undefined> {
  const rows = await runner.query<StateRow>(
    `SELECT ${STATE_COLUMNS} FROM structreg_rollouts WHERE subject = $1${forUpdate ? " FOR UPDATE" : ""}`,
    [subject],
  );
  return rows[0] === undefined ? undefined : toState(rows[0]);
}

async function writeState(tx: SqlExecutor, s: RolloutState): Promise<void> {
  await tx.query(
    `INSERT INTO structreg_rollouts
       (subject, stable, candidate, percent, stage, guard, revision, updated_at, updated_by)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8::timestamptz, $9)
     ON CONFLICT (subject) DO UPDATE SET stable = EXCLUDED.stable, candidate = EXCLUDED.candidate,
       percent = EXCLUDED.percent, stage = EXCLUDED.stage, guard = EXCLUDED.guard,
       revision = EXCLUDED.revision, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
    [
      s.subject,
      s.stable,
      s.candidate,
      s.percent,
      s.stage,
      JSON.stringify(s.guard),
      s.revision,
      s.updatedAt,
      s.updatedBy,
    ],
  );
}

async function insertEvent(tx: SqlExecutor, { event: e }: RolloutChange): Promise<void> {
  await tx.query(
    `INSERT INTO structreg_rollout_events
       (subject, revision, action, who, at, from_state, to_state, reason, figures)
     VALUES ($1, $2, $3, $4, $5::timestamptz, $6::jsonb, $7::jsonb, $8, $9::jsonb)`,
    [
      e.subject,
      e.revision,
      e.action,
      e.who,
      e.at,
      e.from === null ? null : JSON.stringify(e.from),
      JSON.stringify(e.to),
      e.reason,
      e.figures === null ? null : JSON.stringify(e.figures),
    ],
  );
}

function toState(row: StateRow): RolloutState {
  if (!isRolloutStage(row.stage)) {
    throw new StructregError("SR_STORE_ERROR", `Stored rollout has an unknown stage '${row.stage}'.`);
  }
  return {
    subject: row.subject,
    stable: row.stable,
    candidate: row.candidate,
    percent: Number(row.percent),
    stage: row.stage,
    guard: row.guard,
    revision: row.revision,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

function toEvent(row: EventRow): RolloutEvent {
  return {
    id: Number(row.id),
    subject: row.subject,
    revision: row.revision,
    action: row.action as RolloutAction,
    who: row.who,
    at: row.at,
    from: row.from_state,
    to: row.to_state,
    reason: row.reason,
    figures: row.figures,
  };
}
