import type { Audit, EventQuery, RegistryEvent, RegistryEventInput } from "../../app/registry-events.js";
import { isRegistryEventKind } from "../../app/registry-events.js";
import { StructregError } from "../../core/errors.js";
import type { SqlExecutor } from "./sql-client.js";

interface EventRow {
  id: string | number;
  subject: string;
  kind: string;
  version: number | null;
  changes: RegistryEventInput["changes"];
  who: string;
  scope: string | null;
  reason: string | null;
  at: string;
}

/**
 * Writes the event `audit` describes for `facts` (inside the caller's transaction), then trims the subject's
 * log to its retention: the newest `maxPerSubject` events, none older than `maxAgeMs`.
 */
export async function recordEvent<T>(tx: SqlExecutor, audit: Audit<T> | undefined, facts: T): Promise<void> {
  const event = audit?.describe(facts);
  if (audit === undefined || event === undefined) return;
  await tx.query(
    `INSERT INTO structreg_registry_events (subject, kind, version, changes, who, scope, reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      event.subject,
      event.kind,
      event.version,
      JSON.stringify(event.changes),
      event.who,
      event.scope,
      event.reason,
    ],
  );
  const { maxPerSubject, maxAgeMs } = audit.retention;
  await tx.query(
    `DELETE FROM structreg_registry_events WHERE subject = $1 AND id <= (
       SELECT id FROM structreg_registry_events WHERE subject = $1 ORDER BY id DESC OFFSET $2 LIMIT 1)`,
    [event.subject, maxPerSubject],
  );
  if (maxAgeMs > 0) {
    await tx.query(
      `DELETE FROM structreg_registry_events
       WHERE subject = $1 AND at < now() - make_interval(secs => $2::double precision)`,
      [event.subject, maxAgeMs / 1000],
    );
  }
}

/** A page of a subject's events, newest first. */
export async function selectEvents(
  db: SqlExecutor,
  subject: string,
  query: EventQuery,
): Promise<RegistryEvent[]> {
  const rows = await db.query<EventRow>(
    `SELECT id, subject, kind, version, changes, who, scope, reason,
       to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at
     FROM structreg_registry_events WHERE subject = $1 AND ($2::bigint IS NULL OR id < $2)
     ORDER BY id DESC LIMIT $3`,
    [subject, query.before ?? null, query.limit],
  );
  return rows.map(toEvent);
}

function toEvent(row: EventRow): RegistryEvent {
  if (!isRegistryEventKind(row.kind)) {
    throw new StructregError("SR_STORE_ERROR", `Stored registry event has an unknown kind '${row.kind}'.`);
  }
  return {
    id: Number(row.id),
    subject: row.subject,
    kind: row.kind,
    version: row.version,
    changes: typeof row.changes === "string" ? JSON.parse(row.changes) : row.changes,
    who: row.who,
    scope: row.scope,
    reason: row.reason,
    at: row.at,
  };
}
