import type { QuarantineStore } from "../../app/ports.js";
import type {
  NewQuarantineEntry,
  QuarantineQuery,
  QuarantineRecord,
  QuarantineRetention,
} from "../../app/validation-types.js";
import { StructregError } from "../../core/errors.js";
import type { Issue } from "../../core/parse/issues.js";
import type { ParseFailureReason } from "../../core/parse/outcomes.js";
import type { Repair } from "../../core/parse/repairs.js";
import type { SqlClient, SqlExecutor } from "./sql-client.js";
import { decodeText, encodeText, fromJsonb, toJsonb } from "./sql-quarantine-codec.js";

/** Largest page a listing returns. */
export const MAX_QUARANTINE_PAGE = 1000;

/** QuarantineStore over a SqlClient (PGlite or PostgreSQL, after `migrate`). */
export function createSqlQuarantineStore(client: SqlClient): QuarantineStore {
  return new SqlQuarantineStore(client);
}

const TABLE = "structreg_quarantine";

/** Timestamps formatted in SQL so both drivers give the same text (as the schema store does). */
const COLUMNS = `id, subject, version, reason, issues, repairs, raw, raw_escaped, raw_bytes, raw_sha256,
  truncated, key, key_escaped, status, resolved_version,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
  to_char(resolved_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS resolved_at`;

interface QuarantineRow {
  id: number | string;
  subject: string;
  version: number;
  reason: string;
  issues: unknown;
  repairs: unknown;
  raw: string;
  raw_escaped: boolean;
  raw_bytes: number | string;
  raw_sha256: string;
  truncated: boolean;
  key: string | null;
  key_escaped: boolean;
  status: string;
  resolved_version: number | null;
  created_at: string;
  resolved_at: string | null;
}

class SqlQuarantineStore implements QuarantineStore {
  constructor(private readonly client: SqlClient) {}

  // async so that refusals of the input reject the promise instead of throwing at the call.
  async add(entry: NewQuarantineEntry, retention: QuarantineRetention, now: Date): Promise<QuarantineRecord> {
    checkRetention(retention);
    // Encoded before the transaction: a value that cannot be written fails without holding the subject lock.
    const params = insertParams(entry, isoOf(now));
    return this.client.transaction(async (tx) => {
      await lockSubject(tx, entry.subject);
      const [row] = await tx.query<QuarantineRow>(
        `INSERT INTO ${TABLE} (subject, version, reason, issues, repairs, raw, raw_escaped, raw_bytes,
           raw_sha256, truncated, key, key_escaped, created_at)
         VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7, $8, $9, $10, $11, $12, $13::timestamptz)
         RETURNING ${COLUMNS}`,
        params,
      );
      await applyRetention(tx, entry.subject, retention, now);
      return toRecord(row!);
    });
  }

  async get(id: number): Promise<QuarantineRecord | undefined> {
    if (!Number.isSafeInteger(id)) return undefined;
    const rows = await this.client.query<QuarantineRow>(`SELECT ${COLUMNS} FROM ${TABLE} WHERE id = $1`, [
      id,
    ]);
    return rows[0] === undefined ? undefined : toRecord(rows[0]);
  }

  async list(query: QuarantineQuery): Promise<{ items: QuarantineRecord[]; nextCursor?: number }> {
    const limit = checkLimit(query.limit);
    const { where, params } = listFilter(query);
    params.push(limit + 1);
    // One row more than the page tells whether another page exists without a count.
    const rows = await this.client.query<QuarantineRow>(
      `SELECT ${COLUMNS} FROM ${TABLE} ${where} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    const items = rows.slice(0, limit).map(toRecord);
    const last = items.at(-1);
    return rows.length > limit && last !== undefined ? { items, nextCursor: last.id } : { items };
  }

  async markResolved(ids: number[], version: number, now: Date): Promise<number> {
    const valid = ids.filter((id) => Number.isSafeInteger(id));
    if (valid.length === 0) return 0;
    // Integers only, so the array literal needs no quoting; one literal works with both drivers.
    const rows = await this.client.query<{ id: unknown }>(
      `UPDATE ${TABLE} SET status = 'resolved', resolved_at = $2::timestamptz, resolved_version = $3
       WHERE id = ANY($1::bigint[]) AND status = 'open' RETURNING id`,
      [`{${valid.join(",")}}`, isoOf(now), version],
    );
    return rows.length;
  }

  async prune(retention: QuarantineRetention, now: Date): Promise<number> {
    checkRetention(retention);
    const subjects = await this.client.query<{ subject: string }>(`SELECT DISTINCT subject FROM ${TABLE}`);
    let dropped = 0;
    // Subject by subject under the lock `add` takes, so a prune never races an add's own retention.
    for (const { subject } of subjects) {
      dropped += await this.client.transaction(async (tx) => {
        await lockSubject(tx, subject);
        return applyRetention(tx, subject, retention, now);
      });
    }
    return dropped;
  }

  counts(): Promise<Array<{ subject: string; open: number; resolved: number }>> {
    return this.client.query<{ subject: string; open: number; resolved: number }>(
      `SELECT subject, count(*) FILTER (WHERE status = 'open')::int AS open,
         count(*) FILTER (WHERE status = 'resolved')::int AS resolved
       FROM ${TABLE} GROUP BY subject ORDER BY subject COLLATE "C"`,
    );
  }
}

/**
 * Serialises adds (and prunes) of one subject, also across processes sharing a PostgreSQL, so concurrent adds
 * with a small maxPerSubject keep exactly that many rows. Released at commit or rollback.
 */
async function lockSubject(tx: SqlExecutor, subject: string): Promise<void> {
  await tx.query("SELECT pg_advisory_xact_lock(hashtext('structreg:quarantine:' || $1::text))", [subject]);
}

/**
 * Drops the subject's samples older than maxAgeMs, then those beyond the maxPerSubject newest. Both deletes
 * walk an index range of this subject only; run on every add, each usually removes zero or one row.
 */
async function applyRetention(
  tx: SqlExecutor,
  subject: string,
  retention: QuarantineRetention,
  now: Date,
): Promise<number> {
  let dropped = 0;
  const cutoff = now.getTime() - retention.maxAgeMs;
  // A cutoff before year 1 (an age limit of millennia, or Infinity) drops nothing, and PostgreSQL could not take it.
  if (cutoff >= EARLIEST_TIMESTAMP_MS) {
    dropped += await countDeleted(tx, "subject = $1 AND created_at < $2::timestamptz", [
      subject,
      new Date(cutoff).toISOString(),
    ]);
  }
  if (Number.isFinite(retention.maxPerSubject)) {
    dropped += await countDeleted(
      tx,
      `subject = $1 AND id <= (SELECT id FROM ${TABLE} WHERE subject = $1 ORDER BY id DESC OFFSET $2 LIMIT 1)`,
      [subject, retention.maxPerSubject],
    );
  }
  return dropped;
}

const EARLIEST_TIMESTAMP_MS = Date.parse("0001-01-01T00:00:00.000Z");

async function countDeleted(tx: SqlExecutor, where: string, params: unknown[]): Promise<number> {
  const [row] = await tx.query<{ n: number }>(
    `WITH d AS (DELETE FROM ${TABLE} WHERE ${where} RETURNING 1) SELECT count(*)::int AS n FROM d`,
    params,
  );
  return row?.n ?? 0;
}

function listFilter(query: QuarantineQuery): { where: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (column: string, op: string, value: unknown, cast = ""): void => {
    params.push(value);
    conditions.push(`${column} ${op} $${params.length}${cast}`);
  };
  if (query.subject !== undefined) add("subject", "=", query.subject);
  if (query.status !== undefined) add("status", "=", query.status);
  if (query.reason !== undefined) add("reason", "=", query.reason);
  if (query.version !== undefined) add("version", "=", query.version);
  if (query.since !== undefined) add("created_at", ">=", isoOfText(query.since, "since"), "::timestamptz");
  if (query.until !== undefined) add("created_at", "<", isoOfText(query.until, "until"), "::timestamptz");
  if (query.cursor !== undefined) add("id", "<", checkCursor(query.cursor));
  return { where: conditions.length === 0 ? "" : `WHERE ${conditions.join(" AND ")}`, params };
}

function insertParams(entry: NewQuarantineEntry, createdAt: string): unknown[] {
  const raw = encodeText(entry.raw);
  const key = entry.key === null ? { text: null, escaped: false } : encodeText(entry.key);
  return [
    entry.subject,
    entry.version,
    entry.reason,
    toJsonb(entry.issues, "issues"),
    toJsonb(entry.repairs, "repairs"),
    raw.text,
    raw.escaped,
    entry.rawBytes,
    entry.rawSha256,
    entry.truncated,
    key.text,
    key.escaped,
    createdAt,
  ];
}

function toRecord(row: QuarantineRow): QuarantineRecord {
  return {
    id: Number(row.id),
    subject: row.subject,
    version: row.version,
    reason: row.reason as ParseFailureReason,
    issues: fromJsonb(row.issues) as Issue[],
    repairs: fromJsonb(row.repairs) as Repair[],
    raw: decodeText(row.raw, row.raw_escaped),
    rawBytes: Number(row.raw_bytes),
    rawSha256: row.raw_sha256,
    truncated: row.truncated,
    key: row.key === null ? null : decodeText(row.key, row.key_escaped),
    status: row.status === "resolved" ? "resolved" : "open",
    createdAt: row.created_at,
    resolvedAt: row.resolved_at,
    resolvedVersion: row.resolved_version,
  };
}

function isoOf(date: Date): string {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new StructregError("SR_INTERNAL", "The quarantine was given an invalid date.");
  return date.toISOString();
}

function isoOfText(text: string, field: string): string {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) {
    throw new StructregError("SR_INVALID_REQUEST", `'${field}' is not an ISO-8601 date: ${text}`);
  }
  return new Date(ms).toISOString();
}

function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_QUARANTINE_PAGE) {
    throw new StructregError(
      "SR_INVALID_REQUEST",
      `'limit' must be an integer from 1 to ${MAX_QUARANTINE_PAGE}.`,
    );
  }
  return limit;
}

function checkCursor(cursor: number): number {
  if (!Number.isSafeInteger(cursor)) {
    throw new StructregError("SR_INVALID_REQUEST", "'cursor' must be the nextCursor of an earlier page.");
  }
  return cursor;
}

function checkRetention(retention: QuarantineRetention): void {
  const { maxPerSubject, maxAgeMs } = retention;
  // Infinity means no limit; a count below 1 would drop the sample `add` was asked to keep.
  const countOk =
    maxPerSubject === Number.POSITIVE_INFINITY || (Number.isInteger(maxPerSubject) && maxPerSubject >= 1);
  const ageOk = maxAgeMs === Number.POSITIVE_INFINITY || (Number.isFinite(maxAgeMs) && maxAgeMs >= 0);
  if (!countOk || !ageOk) {
    throw new StructregError(
      "SR_CONFIG_INVALID",
      `Quarantine retention needs maxPerSubject ≥ 1 and maxAgeMs ≥ 0 (got ${maxPerSubject}, ${maxAgeMs}).`,
    );
  }
}
