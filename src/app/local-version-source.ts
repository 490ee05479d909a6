import type { JsonSchema } from "../core/json.js";
import type { SchemaStore, VersionRecord } from "./ports.js";
import type { SourceVersion, VersionSource } from "./validation-types.js";

/** Options of the local version source. */
export interface LocalVersionSourceOptions {
  /** How long a subject's version list is reused before the store is asked again. Default 1000 ms. */
  ttlMs?: number;
  /** Monotonic-enough milliseconds (injected for tests). Default `Date.now`. */
  nowMs?: () => number;
}

/** A VersionSource over the local store, with explicit invalidation for the registry's change hook. */
export interface LocalVersionSource extends VersionSource {
  /** Forgets one subject's cached version list (or every subject's, without an argument). */
  invalidate(subject?: string): void;
}

/** Default TTL of a cached version list. */
export const DEFAULT_VERSION_TTL_MS = 1000;

interface Entry {
  expires: number;
  /** The same resolved promise is handed to every caller: a cache hit allocates nothing. */
  versions: Promise<SourceVersion[]>;
  /** The list once loaded: `cached` answers it without a promise. */
  list?: SourceVersion[];
}

/**
 * Reads a subject's versions from the registry store, caching parsed schemas by fingerprint forever
 * (a fingerprint names immutable content) and each subject's version list for a short TTL, so the hot
 * path does not query the database on every request. Concurrent misses share one query.
 */
export function createLocalVersionSource(
  store: SchemaStore,
  options: LocalVersionSourceOptions = {},
): LocalVersionSource {
  const ttl = options.ttlMs ?? DEFAULT_VERSION_TTL_MS;
  const nowMs = options.nowMs ?? Date.now;
  const schemas = new Map<string, JsonSchema>();
  const lists = new Map<string, Entry>();
  // Bumped by every invalidation: a load that started before it must not fill the cache afterwards.
  let generation = 0;

  function toSource(record: VersionRecord): SourceVersion {
    let schema = schemas.get(record.fingerprint);
    if (schema === undefined) {
      schema = JSON.parse(record.schema) as JsonSchema;
      schemas.set(record.fingerprint, schema);
    }
    return {
      version: record.version,
      id: record.id,
      fingerprint: record.fingerprint,
      state: record.state,
      schema,
    };
  }

  function load(subject: string, stale: SourceVersion[] | undefined): Promise<SourceVersion[]> {
    const started = generation;
    const versions = store.listVersions(subject).then(
      (records) => records.map(toSource),
      // Stale-if-error: while the store is away, a subject already known keeps validating against the list
      // it had (a change made meanwhile cannot have been committed through this store). Retried after a TTL.
      (err: unknown) => {
        if (stale === undefined || generation !== started) throw err;
        return stale;
      },
    );
    const entry: Entry = { expires: Number.POSITIVE_INFINITY, versions };
    lists.set(subject, entry);
    versions.then(
      (list) => {
        if (generation === started && lists.get(subject) === entry) {
          entry.list = list;
          entry.expires = nowMs() + ttl;
        } else if (lists.get(subject) === entry) lists.delete(subject);
      },
      // A failed query is not cached: the next call asks again.
      () => {
        if (lists.get(subject) === entry) lists.delete(subject);
      },
    );
    return versions;
  }

  return {
    versions(subject) {
      const entry = lists.get(subject);
      if (entry !== undefined && entry.expires > nowMs()) return entry.versions;
      // An in-flight load (expires = +Infinity) is shared above; an expired one is replaced here.
      return load(subject, entry?.list);
    },
    cached(subject) {
      const entry = lists.get(subject);
      return entry?.list !== undefined && entry.expires > nowMs() ? entry.list : undefined;
    },
    invalidate(subject) {
      generation++;
      if (subject === undefined) lists.clear();
      else lists.delete(subject);
    },
  };
}
