import type { JsonSchema } from "../core/json.js";
import type { SchemaStore, VersionRecord } from "./ports.js";
import { createReferenceResolver, type ReferenceResolver } from "./reference-resolver.js";
import { LruCache } from "./validation/lru.js";
import type { SourceVersion, VersionSource } from "./validation-types.js";

/** Options of the local version source. */
export interface LocalVersionSourceOptions {
  /** How long a subject's version list is reused before the store is asked again. Default 1000 ms. */
  ttlMs?: number;
  /** Monotonic-enough milliseconds (injected for tests). Default `Date.now`. */
  nowMs?: () => number;
  /** Subjects whose version lists are kept (least recently used dropped first). Default 10000. */
  maxSubjects?: number;
  /** Names without versions remembered (unknown subjects), apart, so a flood of them evicts no real one. Default 1000. */
  maxMissing?: number;
  /** Parsed schemas kept, by fingerprint. Default 10000. */
  maxSchemas?: number;
  /** Bundles versions that have references (default: a resolver over `store`). */
  references?: ReferenceResolver;
}

/** A VersionSource over the local store, with explicit invalidation for the registry's change hook. */
export interface LocalVersionSource extends VersionSource {
  /** Forgets one subject's cached version list (or every subject's, without an argument). */
  invalidate(subject?: string): void;
}

/** Default TTL of a cached version list. */
export const DEFAULT_VERSION_TTL_MS = 1000;
/** Default bounds of the caches (see LocalVersionSourceOptions). */
export const DEFAULT_VERSION_CACHE_SUBJECTS = 10_000;
const DEFAULT_MISSING_SUBJECTS = 1000;
const DEFAULT_SCHEMAS = 10_000;

interface Entry {
  expires: number;
  /** The same resolved promise is handed to every caller: a cache hit allocates nothing. */
  versions: Promise<SourceVersion[]>;
  /** The list once loaded: `cached` answers it without a promise. */
  list?: SourceVersion[];
}

/**
 * Reads a subject's versions from the registry store, caching parsed schemas by fingerprint (a fingerprint
 * names immutable content) and each subject's version list for a short TTL, so the hot path does not query
 * the database on every request. Concurrent misses share one query. Every cache is bounded: lists of real
 * subjects in one LRU, empty lists (unknown names, which any caller can invent) in a small one of their own.
 */
export function createLocalVersionSource(
  store: SchemaStore,
  options: LocalVersionSourceOptions = {},
): LocalVersionSource {
  const ttl = options.ttlMs ?? DEFAULT_VERSION_TTL_MS;
  const nowMs = options.nowMs ?? Date.now;
  const schemas = new LruCache<string, JsonSchema>(options.maxSchemas ?? DEFAULT_SCHEMAS);
  const resolver = options.references ?? createReferenceResolver(store);
  const lists = new LruCache<string, Entry>(options.maxSubjects ?? DEFAULT_VERSION_CACHE_SUBJECTS);
  const missing = new LruCache<string, Entry>(options.maxMissing ?? DEFAULT_MISSING_SUBJECTS);
  // Loads in flight (as many as concurrent requests): settled ones move to `lists` or `missing`.
  const loading = new Map<string, Entry>();
  // Bumped by every invalidation: a load that started before it must not fill the cache afterwards.
  let generation = 0;

  /** Versions with references validate against their bundled form, fetched once per fingerprint. */
  async function toSources(records: VersionRecord[]): Promise<SourceVersion[]> {
    for (const record of records) {
      if (record.references.length > 0 && schemas.get(record.fingerprint) === undefined) {
        schemas.set(record.fingerprint, await resolver.bundledOf(record));
      }
    }
    return records.map(toSource);
  }

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
      (records) => toSources(records),
      // Stale-if-error: while the store is away, a subject already known keeps validating against the list
      // it had (a change made meanwhile cannot have been committed through this store). Retried after a TTL.
      (err: unknown) => {
        if (stale === undefined || generation !== started) throw err;
        return stale;
      },
    );
    const entry: Entry = { expires: Number.POSITIVE_INFINITY, versions };
    loading.set(subject, entry);
    const settle = (list: SourceVersion[] | undefined) => {
      if (loading.get(subject) === entry) loading.delete(subject);
      // A failed query is not cached (the next call asks again), nor one overtaken by an invalidation.
      if (list === undefined || generation !== started) return;
      entry.list = list;
      entry.expires = nowMs() + ttl;
      (list.length === 0 ? missing : lists).set(subject, entry);
    };
    versions.then(settle, () => settle(undefined));
    return versions;
  }

  function fresh(subject: string): Entry | undefined {
    const entry = lists.get(subject) ?? missing.get(subject);
    return entry !== undefined && entry.expires > nowMs() ? entry : undefined;
  }

  return {
    versions(subject) {
      const fromCache = fresh(subject) ?? loading.get(subject);
      if (fromCache !== undefined) return fromCache.versions;
      // An expired entry's list is kept for stale-if-error while the store is away.
      return load(subject, (lists.get(subject) ?? missing.get(subject))?.list);
    },
    cached(subject) {
      return fresh(subject)?.list;
    },
    invalidate(subject) {
      generation++;
      if (subject === undefined) {
        loading.clear();
        lists.clear();
        missing.clear();
      } else {
        loading.delete(subject);
        lists.delete(subject);
        missing.delete(subject);
      }
    },
  };
}
