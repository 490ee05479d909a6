/**
 * The quarantine use cases: list and read bad cases, export them as a JSONL eval set, and replay them
 * through validate-and-parse (e.g. against a newer version), marking recovered samples resolved.
 */
import { StructregError } from "../core/errors.js";
import { isJsonObject } from "../core/json.js";
import type { ParseFailureReason } from "../core/parse/outcomes.js";
import type { QuarantineStore } from "./ports.js";
import type { ValidationService } from "./validation.js";
import type { QuarantineQuery, QuarantineRecord } from "./validation-types.js";

/** What the quarantine service is built from. */
export interface QuarantineDeps {
  store: QuarantineStore;
  validation: ValidationService;
  now: () => Date;
  /** Rows read per store query when exporting or replaying. Default 500. */
  pageSize?: number;
}

/** What to replay: open samples of the subject (newest first), or the given ids. */
export interface ReplayOptions {
  /** Validate against this version alone, without version fallback (else the subject's current target, with it). */
  version?: number;
  /** Only these samples (those that exist, belong to the subject and are open). */
  ids?: number[];
  /** At most this many samples, 1..1000. Default 100. */
  limit?: number;
}

/** One replayed sample. `resolved` is false for a truncated sample even when it parses. */
export interface ReplayItem {
  id: number;
  ok: boolean;
  resolved: boolean;
  version?: number;
  track?: "strict" | "tolerant" | "fallback";
  reason?: ParseFailureReason;
}

/** The result of a replay. */
export interface ReplaySummary {
  replayed: number;
  /** Samples accepted now and marked resolved. */
  recovered: number;
  /** Samples rejected again. */
  stillFailing: number;
  items: ReplayItem[];
}

/** The quarantine service. */
export interface QuarantineService {
  /** One page of samples, newest first. */
  list(query: QuarantineQuery): Promise<{ items: QuarantineRecord[]; nextCursor?: number }>;
  /** One sample; SR_SAMPLE_NOT_FOUND when there is none. */
  get(id: number): Promise<QuarantineRecord>;
  /** Every matching sample as one JSON line each (`\n`-terminated), paging through the store. */
  exportJsonl(query: Omit<QuarantineQuery, "limit" | "cursor">): AsyncIterable<string>;
  /** Open and resolved samples per subject (subjects with none are absent). */
  counts(): Promise<Array<{ subject: string; open: number; resolved: number }>>;
  /** Re-runs validate-and-parse on open samples without quarantining again; marks recovered ones resolved. */
  replay(subject: string, options?: ReplayOptions): Promise<ReplaySummary>;
}

export const DEFAULT_REPLAY_LIMIT = 100;
export const MAX_REPLAY_LIMIT = 1000;
const DEFAULT_PAGE_SIZE = 500;

/** Creates the quarantine service. */
export function createQuarantineService(deps: QuarantineDeps): QuarantineService {
  const pageSize = deps.pageSize ?? DEFAULT_PAGE_SIZE;
  const { store } = deps;

  async function* pages(query: Omit<QuarantineQuery, "limit" | "cursor">): AsyncGenerator<QuarantineRecord> {
    let cursor: number | undefined;
    do {
      const page = await store.list({
        ...query,
        limit: pageSize,
        ...(cursor === undefined ? {} : { cursor }),
      });
      yield* page.items;
      cursor = page.nextCursor;
    } while (cursor !== undefined);
  }

  async function samplesToReplay(subject: string, options: ReplayOptions): Promise<QuarantineRecord[]> {
    const limit = Math.min(Math.max(options.limit ?? DEFAULT_REPLAY_LIMIT, 1), MAX_REPLAY_LIMIT);
    const out: QuarantineRecord[] = [];
    if (options.ids !== undefined) {
      for (const id of new Set(options.ids)) {
        if (out.length >= limit) break;
        const record = await store.get(id);
        if (record !== undefined && record.subject === subject && record.status === "open") out.push(record);
      }
      return out;
    }
    for await (const record of pages({ subject, status: "open" })) {
      if (out.length >= limit) break;
      out.push(record);
    }
    return out;
  }

  async function replayOne(subject: string, record: QuarantineRecord, version: number | undefined) {
    const outcome = await deps.validation.validate(subject, outputOf(record.raw), {
      dryRun: true,
      ...(version === undefined ? {} : { version, fallback: false }),
      ...(record.key === null ? {} : { key: record.key }),
    });
    if (!outcome.ok) return { id: record.id, ok: false, resolved: false, reason: outcome.reason };
    const resolved = !record.truncated;
    return { id: record.id, ok: true, resolved, version: outcome.version, track: outcome.track };
  }

  return {
    list: (query) => store.list(query),
    counts: () => store.counts(),

    async get(id) {
      const record = await store.get(id);
      if (record === undefined) {
        throw new StructregError("SR_SAMPLE_NOT_FOUND", `Quarantined sample ${id} not found.`, {
          hint: "list samples with GET /subjects/{subject}/quarantine",
        });
      }
      return record;
    },

    async *exportJsonl(query) {
      for await (const record of pages(query)) yield `${JSON.stringify(evalLine(record))}\n`;
    },

    async replay(subject, options = {}) {
      const samples = await samplesToReplay(subject, options);
      const items: ReplayItem[] = [];
      for (const record of samples) items.push(await replayOne(subject, record, options.version));
      const byVersion = new Map<number, number[]>();
      for (const item of items) {
        if (!item.resolved || item.version === undefined) continue;
        byVersion.set(item.version, [...(byVersion.get(item.version) ?? []), item.id]);
      }
      const now = deps.now();
      for (const [version, ids] of byVersion) await store.markResolved(ids, version, now);
      const recovered = items.filter((i) => i.resolved).length;
      const stillFailing = items.filter((i) => !i.ok).length;
      return { replayed: items.length, recovered, stillFailing, items };
    },
  };
}

/** One JSONL line: the sample as an eval case (input first, then what went wrong, then bookkeeping). */
function evalLine(r: QuarantineRecord): Record<string, unknown> {
  return {
    id: r.id,
    subject: r.subject,
    version: r.version,
    reason: r.reason,
    raw: r.raw,
    truncated: r.truncated,
    rawBytes: r.rawBytes,
    rawSha256: r.rawSha256,
    issues: r.issues,
    repairs: r.repairs,
    key: r.key,
    status: r.status,
    createdAt: r.createdAt,
    resolvedAt: r.resolvedAt,
    resolvedVersion: r.resolvedVersion,
  };
}

/**
 * The output to replay. Objects (parsed values and Responses API responses) were stored as their JSON:
 * a Responses object is handed back as an object, so refusals and incomplete responses stay what they were.
 */
function outputOf(raw: string): unknown {
  if (!raw.startsWith('{"')) return raw;
  try {
    const value: unknown = JSON.parse(raw);
    return isJsonObject(value) && value.object === "response" ? value : raw;
  } catch {
    return raw;
  }
}
