/**
 * A VersionSource over a remote registry's HTTP API, for services that validate in-process.
 *
 * Schemas are immutable per fingerprint, so parsed schemas are kept forever; what can change is the list of
 * a subject's versions and their states, which is refreshed after `ttlMs`. Refreshes are
 * stale-while-revalidate: the cached list is answered at once while one refresh runs in the background,
 * and a failed refresh keeps serving the cached list (recording the error), so a registry blip never fails
 * validation of a subject this process already knows.
 */

import type { VersionView } from "../app/registry-types.js";
import type { SourceVersion, VersionSource } from "../app/validation-types.js";
import { isStructregError, StructregError } from "../core/errors.js";
import type { JsonSchema } from "../core/json.js";
import { bundleSchema } from "../core/schema/bundle.js";
import { type DocumentLoader, loadReferencedDocuments } from "../core/schema/references.js";
import { createRegistryClient, type RegistryClient } from "./http-client.js";

/** Default time a subject's version list is trusted before it is refreshed. */
export const DEFAULT_TTL_MS = 5_000;

/** Options of `createRemoteVersionSource`. */
export interface RemoteVersionSourceOptions {
  /** Base URL of the registry, e.g. http://registry:8080. */
  url: string;
  token?: string | undefined;
  /** fetch implementation (default: global fetch). */
  fetch?: typeof fetch | undefined;
  /** How long a subject's version list and states are served before a refresh (default 5 s). */
  ttlMs?: number | undefined;
  /** Per-request timeout (default 30 s, the registry client's). */
  timeoutMs?: number | undefined;
  /** Monotonic milliseconds (default `performance.now`); tests pass a fake clock. */
  clock?: (() => number) | undefined;
}

/** A VersionSource over HTTP that also says how fresh it is. */
export interface RemoteVersionSource extends VersionSource {
  /** The error of the most recent failed fetch or refresh, cleared by the next success. */
  readonly lastError: StructregError | undefined;
  /** Forgets a subject's version list (or every subject's), so the next call fetches it. Schemas stay cached. */
  invalidate(subject?: string): void;
  /** Resolves when every background refresh started so far has settled. */
  settled(): Promise<void>;
}

interface Entry {
  versions: SourceVersion[];
  /** The same resolved promise is handed to every caller: a warm hit allocates nothing. */
  answer: Promise<SourceVersion[]>;
  fetchedAt: number;
  refreshing: Promise<void> | undefined;
}

/** Creates a VersionSource that reads a remote registry and caches what it reads. */
export function createRemoteVersionSource(options: RemoteVersionSourceOptions): RemoteVersionSource {
  const client = createRegistryClient({
    url: options.url,
    token: options.token,
    timeoutMs: options.timeoutMs,
    fetch: options.fetch,
  });
  return new CachedRemoteSource(client, options.ttlMs ?? DEFAULT_TTL_MS, options.clock ?? defaultClock);
}

function defaultClock(): number {
  return performance.now();
}

class CachedRemoteSource implements RemoteVersionSource {
  lastError: StructregError | undefined;
  private readonly entries = new Map<string, Entry>();
  /** First fetches in flight, so concurrent callers for a new subject share one round of requests. */
  private readonly loading = new Map<string, Promise<SourceVersion[]>>();
  private readonly schemas = new Map<string, JsonSchema>();
  private readonly background = new Set<Promise<void>>();

  constructor(
    private readonly client: RegistryClient,
    private readonly ttlMs: number,
    private readonly clock: () => number,
  ) {}

  // The hot path once warm: a map lookup and a clock read.
  versions(subject: string): Promise<SourceVersion[]> {
    const entry = this.entries.get(subject);
    if (entry === undefined) return this.load(subject);
    this.refreshIfStale(subject, entry);
    return entry.answer;
  }

  // Exactly versions() on a warm subject, without the promise; a cold one is left to versions() to load.
  cached(subject: string): SourceVersion[] | undefined {
    const entry = this.entries.get(subject);
    if (entry === undefined) return undefined;
    this.refreshIfStale(subject, entry);
    return entry.versions;
  }

  invalidate(subject?: string): void {
    if (subject === undefined) this.entries.clear();
    else this.entries.delete(subject);
  }

  async settled(): Promise<void> {
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }

  private load(subject: string): Promise<SourceVersion[]> {
    const inFlight = this.loading.get(subject);
    if (inFlight !== undefined) return inFlight;
    const promise = this.fetchVersions(subject)
      .then(
        (versions) => {
          this.entries.set(subject, entryOf(versions, this.clock()));
          this.lastError = undefined;
          return versions;
        },
        (err: unknown) => {
          // Nothing cached to fall back on: the caller must hear about it.
          this.lastError = asStructregError(err);
          throw this.lastError;
        },
      )
      .finally(() => this.loading.delete(subject));
    this.loading.set(subject, promise);
    return promise;
  }

  /** Stale-while-revalidate: one background refresh per stale entry. */
  private refreshIfStale(subject: string, entry: Entry): void {
    if (this.clock() - entry.fetchedAt >= this.ttlMs && entry.refreshing === undefined) {
      this.refresh(subject, entry);
    }
  }

  private refresh(subject: string, entry: Entry): void {
    const task = this.fetchVersions(subject).then(
      (versions) => {
        // Only replace the entry still cached: an invalidate() during the refresh wins.
        if (this.entries.get(subject) === entry) {
          this.entries.set(subject, entryOf(versions, this.clock()));
        }
        this.lastError = undefined;
      },
      (err: unknown) => {
        this.lastError = asStructregError(err);
        // Keep serving the cached list, and wait a full TTL before trying again (no retry storm).
        entry.fetchedAt = this.clock();
        entry.refreshing = undefined;
      },
    );
    entry.refreshing = task;
    this.background.add(task);
    void task.finally(() => this.background.delete(task));
  }

  private async fetchVersions(subject: string): Promise<SourceVersion[]> {
    let numbers: number[];
    try {
      numbers = await this.client.listVersions(subject);
    } catch (err) {
      if (isStructregError(err) && err.code === "SR_SUBJECT_NOT_FOUND") return [];
      throw err;
    }
    const views = await Promise.all(numbers.map((v) => this.fetchVersion(subject, v)));
    return views.filter((v): v is SourceVersion => v !== undefined).sort((a, b) => a.version - b.version);
  }

  /** One version, or undefined when it was deleted between the listing and this read. */
  private async fetchVersion(subject: string, version: number): Promise<SourceVersion | undefined> {
    let view: VersionView;
    try {
      view = await this.client.getVersion(subject, version);
    } catch (err) {
      if (isStructregError(err) && isGone(err.code)) return undefined;
      throw err;
    }
    return {
      version: view.version,
      id: view.id,
      fingerprint: view.fingerprint,
      state: view.state,
      schema: (view.references ?? []).length > 0 ? await this.bundledOf(view) : this.schemaOf(view),
    };
  }

  /**
   * A version with references validates against its bundled form, made here from the referenced versions
   * the registry serves (the same pure bundling as the server's), once per fingerprint.
   */
  private async bundledOf(view: VersionView): Promise<JsonSchema> {
    const known = this.schemas.get(view.fingerprint);
    if (known !== undefined) return known;
    const load: DocumentLoader = async (subject, version) => {
      try {
        const found = await this.client.getVersion(subject, version, { deleted: true });
        return { schema: found.schema, references: found.references ?? [] };
      } catch (err) {
        if (isStructregError(err) && isGone(err.code)) return undefined;
        throw err;
      }
    };
    const references = view.references ?? [];
    const documents = await loadReferencedDocuments(references, load);
    const schema = bundleSchema(parseViewSchema(view), references, documents);
    this.schemas.set(view.fingerprint, schema);
    return schema;
  }

  /** The parsed schema, shared by every version with the same fingerprint (a stable identity for caches). */
  private schemaOf(view: VersionView): JsonSchema {
    const known = this.schemas.get(view.fingerprint);
    if (known !== undefined) return known;
    const schema = parseViewSchema(view);
    this.schemas.set(view.fingerprint, schema);
    return schema;
  }
}

function parseViewSchema(view: VersionView): JsonSchema {
  try {
    return JSON.parse(view.schema) as JsonSchema;
  } catch (err) {
    throw new StructregError(
      "SR_SERVER_UNREACHABLE",
      `the registry sent schema id ${view.id} as text that is not JSON`,
      {
        cause: err,
        hint: "check that the URL points at a structreg registry",
      },
    );
  }
}

function entryOf(versions: SourceVersion[], fetchedAt: number): Entry {
  return { versions, answer: Promise.resolve(versions), fetchedAt, refreshing: undefined };
}

function isGone(code: string): boolean {
  return (
    code === "SR_VERSION_NOT_FOUND" || code === "SR_SUBJECT_NOT_FOUND" || code === "SR_VERSION_SOFT_DELETED"
  );
}

function asStructregError(err: unknown): StructregError {
  if (isStructregError(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new StructregError("SR_SERVER_UNREACHABLE", `reading the registry failed: ${message}`, {
    cause: err,
  });
}
