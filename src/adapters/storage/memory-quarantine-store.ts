import type { QuarantineStore } from "../../app/ports.js";
import type {
  NewQuarantineEntry,
  QuarantineQuery,
  QuarantineRecord,
  QuarantineRetention,
} from "../../app/validation-types.js";

/** The in-memory fake of QuarantineStore, with the same semantics as the SQL store (tests, offline use). */
export function createMemoryQuarantineStore(): QuarantineStore {
  return new MemoryQuarantineStore();
}

class MemoryQuarantineStore implements QuarantineStore {
  /** Rows by id; a Map keeps insertion order, which is id order. */
  private readonly rows = new Map<number, QuarantineRecord>();
  private nextId = 1;

  async add(entry: NewQuarantineEntry, retention: QuarantineRetention, now: Date): Promise<QuarantineRecord> {
    const record: QuarantineRecord = {
      ...entry,
      issues: [...entry.issues],
      repairs: [...entry.repairs],
      id: this.nextId++,
      status: "open",
      createdAt: now.toISOString(),
      resolvedAt: null,
      resolvedVersion: null,
    };
    this.rows.set(record.id, record);
    this.applyRetention(record.subject, retention, now);
    return copy(record);
  }

  async get(id: number): Promise<QuarantineRecord | undefined> {
    const row = this.rows.get(id);
    return row === undefined ? undefined : copy(row);
  }

  async list(query: QuarantineQuery): Promise<{ items: QuarantineRecord[]; nextCursor?: number }> {
    const since = query.since === undefined ? undefined : Date.parse(query.since);
    const until = query.until === undefined ? undefined : Date.parse(query.until);
    const items: QuarantineRecord[] = [];
    // Newest first: walk ids downwards.
    const ids = [...this.rows.keys()].reverse();
    for (const id of ids) {
      if (query.cursor !== undefined && id >= query.cursor) continue;
      const row = this.rows.get(id) as QuarantineRecord;
      if (!matches(row, query, since, until)) continue;
      if (items.length === query.limit) {
        // One more match exists: the page is not the last one.
        const last = items[items.length - 1] as QuarantineRecord;
        return { items, nextCursor: last.id };
      }
      items.push(copy(row));
    }
    return { items };
  }

  async markResolved(ids: number[], version: number, now: Date): Promise<number> {
    let changed = 0;
    for (const id of new Set(ids)) {
      const row = this.rows.get(id);
      if (row === undefined || row.status === "resolved") continue;
      row.status = "resolved";
      row.resolvedAt = now.toISOString();
      row.resolvedVersion = version;
      changed++;
    }
    return changed;
  }

  async prune(retention: QuarantineRetention, now: Date): Promise<number> {
    let dropped = 0;
    for (const subject of new Set([...this.rows.values()].map((r) => r.subject))) {
      dropped += this.applyRetention(subject, retention, now);
    }
    return dropped;
  }

  async counts(): Promise<Array<{ subject: string; open: number; resolved: number }>> {
    const bySubject = new Map<string, { subject: string; open: number; resolved: number }>();
    for (const row of this.rows.values()) {
      let entry = bySubject.get(row.subject);
      if (entry === undefined) {
        entry = { subject: row.subject, open: 0, resolved: 0 };
        bySubject.set(row.subject, entry);
      }
      entry[row.status]++;
    }
    return [...bySubject.values()].sort((a, b) =>
      a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0,
    );
  }

  /** Drops the subject's samples older than maxAgeMs, then all but the newest maxPerSubject; returns how many. */
  private applyRetention(subject: string, retention: QuarantineRetention, now: Date): number {
    const oldest = now.getTime() - retention.maxAgeMs;
    const kept: number[] = [];
    let dropped = 0;
    for (const row of this.rows.values()) {
      if (row.subject !== subject) continue;
      if (Date.parse(row.createdAt) < oldest) {
        this.rows.delete(row.id);
        dropped++;
      } else {
        kept.push(row.id);
      }
    }
    const excess = kept.length - retention.maxPerSubject;
    for (let i = 0; i < excess; i++) {
      this.rows.delete(kept[i] as number);
      dropped++;
    }
    return dropped;
  }
}

function matches(
  row: QuarantineRecord,
  query: QuarantineQuery,
  since: number | undefined,
  until: number | undefined,
): boolean {
  if (query.subject !== undefined && row.subject !== query.subject) return false;
  if (query.status !== undefined && row.status !== query.status) return false;
  if (query.reason !== undefined && row.reason !== query.reason) return false;
  if (query.version !== undefined && row.version !== query.version) return false;
  const created = Date.parse(row.createdAt);
  if (since !== undefined && created < since) return false;
  if (until !== undefined && created >= until) return false;
  return true;
}

function copy(row: QuarantineRecord): QuarantineRecord {
  return { ...row, issues: [...row.issues], repairs: [...row.repairs] };
}
