import type {
  RegisterInput,
  RegisterResult,
  RegistrationGuard,
  SchemaRecord,
  SchemaStore,
  SubjectConfig,
  VersionRecord,
} from "../../app/ports.js";
import type { Audit, EventQuery, RegistryEvent } from "../../app/registry-events.js";
import type { VersionState } from "../../core/model.js";
import { mergeConfig } from "./config-merge.js";
import { MemoryEventLog } from "./memory-registry-events.js";
import { createSerialQueue, type SerialQueue } from "./sql-client.js";
import { STORE_ERRORS, type SubjectLiveness, subjectLiveness } from "./store-errors.js";

interface MemoryState {
  schemasById: Map<number, SchemaRecord>;
  idsByFingerprint: Map<string, number>;
  /** Versions per subject, oldest first. */
  versions: Map<string, VersionRecord[]>;
  /** Highest version number a subject ever used; survives hard deletes of single versions. */
  lastVersion: Map<string, number>;
  configs: Map<string | null, SubjectConfig>;
  nextId: number;
}

/** The in-memory fake of SchemaStore, with the same behaviour as the SQL store (the contract suite checks it). */
export function createMemorySchemaStore(): SchemaStore {
  return new MemorySchemaStore();
}

class MemorySchemaStore implements SchemaStore {
  private readonly state: MemoryState = {
    schemasById: new Map(),
    idsByFingerprint: new Map(),
    versions: new Map(),
    lastVersion: new Map(),
    configs: new Map(),
    nextId: 1,
  };
  private readonly events = new MemoryEventLog();
  /** One FIFO queue per subject: registrations of one subject run one at a time, like the SQL lock. */
  private readonly queues = new Map<string, SerialQueue>();

  register(
    input: RegisterInput,
    guard: RegistrationGuard,
    audit?: Audit<RegisterResult>,
  ): Promise<RegisterResult> {
    return this.queueOf(input.subject).run(async () => {
      const result = await register(this.state, input, guard);
      if (result.created) this.events.record(audit, result);
      return result;
    });
  }

  private queueOf(subject: string): SerialQueue {
    let queue = this.queues.get(subject);
    if (queue === undefined) {
      queue = createSerialQueue();
      this.queues.set(subject, queue);
    }
    return queue;
  }

  async listSubjects(options?: { includeDeleted?: boolean }): Promise<string[]> {
    const all = options?.includeDeleted === true;
    return [...this.state.versions.entries()]
      .filter(([, list]) => list.length > 0 && (all || list.some((r) => !r.deleted)))
      .map(([subject]) => subject)
      .sort();
  }

  async listVersions(subject: string, options?: { includeDeleted?: boolean }): Promise<VersionRecord[]> {
    return this.rows(subject)
      .filter((r) => options?.includeDeleted === true || !r.deleted)
      .map((r) => ({ ...r }));
  }

  async getVersion(subject: string, version: number): Promise<VersionRecord | undefined> {
    const row = this.find(subject, version);
    return row === undefined ? undefined : { ...row };
  }

  async getSchemaById(id: number): Promise<SchemaRecord | undefined> {
    const schema = this.state.schemasById.get(id);
    return schema === undefined ? undefined : { ...schema };
  }

  async listVersionsBySchemaId(
    id: number,
    options?: { includeDeleted?: boolean },
  ): Promise<Array<{ subject: string; version: number }>> {
    const subjects = [...this.state.versions.keys()].sort();
    return subjects.flatMap((subject) =>
      this.rows(subject)
        .filter((r) => r.id === id && (options?.includeDeleted === true || !r.deleted))
        .map((r) => ({ subject, version: r.version })),
    );
  }

  async softDeleteVersion(subject: string, version: number, audit?: Audit<void>): Promise<void> {
    if (this.liveness(subject) !== "live") throw STORE_ERRORS.subjectNotFound(subject);
    const row = this.find(subject, version);
    if (row === undefined) throw STORE_ERRORS.versionNotFound(subject, version);
    if (row.deleted) throw STORE_ERRORS.versionSoftDeleted(subject, version);
    row.deleted = true;
    this.events.record(audit, undefined);
  }

  async hardDeleteVersion(subject: string, version: number, audit?: Audit<void>): Promise<void> {
    if (this.liveness(subject) === "unknown") throw STORE_ERRORS.subjectNotFound(subject);
    const row = this.find(subject, version);
    if (row === undefined) throw STORE_ERRORS.versionNotFound(subject, version);
    if (!row.deleted) throw STORE_ERRORS.versionNotSoftDeleted(subject, version);
    this.state.versions.set(
      subject,
      this.rows(subject).filter((r) => r !== row),
    );
    this.events.record(audit, undefined);
  }

  async softDeleteSubject(subject: string, audit?: Audit<number[]>): Promise<number[]> {
    const status = this.liveness(subject);
    if (status === "unknown") throw STORE_ERRORS.subjectNotFound(subject);
    if (status === "deleted") throw STORE_ERRORS.subjectSoftDeleted(subject);
    const live = this.rows(subject).filter((r) => !r.deleted);
    for (const r of live) r.deleted = true;
    this.events.record(
      audit,
      live.map((r) => r.version),
    );
    return live.map((r) => r.version);
  }

  async hardDeleteSubject(subject: string, audit?: Audit<number[]>): Promise<number[]> {
    const status = this.liveness(subject);
    if (status === "unknown") throw STORE_ERRORS.subjectNotFound(subject);
    if (status === "live") throw STORE_ERRORS.subjectNotSoftDeleted(subject);
    const removed = this.rows(subject).map((r) => r.version);
    this.state.versions.delete(subject);
    this.state.lastVersion.delete(subject);
    this.state.configs.delete(subject);
    this.events.record(audit, removed);
    return removed;
  }

  async setVersionState(
    subject: string,
    version: number,
    state: VersionState,
    audit?: Audit<{ before: VersionState }>,
  ): Promise<void> {
    if (this.liveness(subject) === "unknown") throw STORE_ERRORS.subjectNotFound(subject);
    const row = this.find(subject, version);
    if (row === undefined) throw STORE_ERRORS.versionNotFound(subject, version);
    if (row.deleted) throw STORE_ERRORS.versionSoftDeleted(subject, version);
    const before = row.state;
    row.state = state;
    this.events.record(audit, { before });
  }

  async getConfig(subject: string | null): Promise<SubjectConfig | undefined> {
    const config = this.state.configs.get(subject);
    return config === undefined ? undefined : { ...config };
  }

  setConfig(
    subject: string | null,
    patch: SubjectConfig,
    audit?: Audit<{ before: SubjectConfig | undefined; after: SubjectConfig }>,
  ): Promise<SubjectConfig> {
    // Like the SQL store: a subject's config changes between, never during, its registrations.
    const apply = async () => {
      const before = this.state.configs.get(subject);
      const merged = mergeConfig(before, patch);
      this.state.configs.set(subject, merged);
      this.events.record(audit, { before: before && { ...before }, after: { ...merged } });
      return { ...merged };
    };
    return subject === null ? apply() : this.queueOf(subject).run(apply);
  }

  async deleteConfig(
    subject: string | null,
    audit?: Audit<{ before: SubjectConfig | undefined }>,
  ): Promise<SubjectConfig | undefined> {
    const config = this.state.configs.get(subject);
    this.state.configs.delete(subject);
    this.events.record(audit, { before: config && { ...config } });
    return config;
  }

  async listEvents(subject: string, query: EventQuery): Promise<RegistryEvent[]> {
    return this.events.list(subject, query);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}

  private rows(subject: string): VersionRecord[] {
    return this.state.versions.get(subject) ?? [];
  }

  private find(subject: string, version: number): VersionRecord | undefined {
    return this.rows(subject).find((r) => r.version === version);
  }

  private liveness(subject: string): SubjectLiveness {
    return subjectLiveness(this.rows(subject).map((r) => r.deleted));
  }
}

async function register(
  state: MemoryState,
  input: RegisterInput,
  guard: RegistrationGuard,
): Promise<RegisterResult> {
  const list = state.versions.get(input.subject) ?? [];
  const undeleted = list.filter((r) => !r.deleted);
  const existing = undeleted.find((r) => r.fingerprint === input.fingerprint);
  if (existing !== undefined) return { id: existing.id, version: existing.version, created: false };
  // The guard gets copies: it must not be able to change stored rows.
  const config = (key: string | null) => {
    const found = state.configs.get(key);
    return found === undefined ? undefined : { ...found };
  };
  await guard(
    undeleted.map((r) => ({ ...r })),
    { subject: config(input.subject), global: config(null) },
  );
  let id = state.idsByFingerprint.get(input.fingerprint);
  if (id === undefined) {
    id = state.nextId++;
    state.idsByFingerprint.set(input.fingerprint, id);
    state.schemasById.set(id, { id, fingerprint: input.fingerprint, schema: input.schema });
  }
  const version = (state.lastVersion.get(input.subject) ?? 0) + 1;
  state.lastVersion.set(input.subject, version);
  list.push({
    subject: input.subject,
    version,
    id,
    fingerprint: input.fingerprint,
    schema: state.schemasById.get(id)?.schema ?? input.schema,
    state: "ENABLED",
    deleted: false,
    createdAt: new Date().toISOString(),
  });
  state.versions.set(input.subject, list);
  return { id, version, created: true };
}
