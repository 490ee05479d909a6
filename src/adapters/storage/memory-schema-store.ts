import type {
  RegisterInput,
  RegisterResult,
  RegistrationGuard,
  SchemaRecord,
  SchemaStore,
  StoredModes,
  SubjectConfig,
  VersionRecord,
} from "../../app/ports.js";
import type { RegistryMode, VersionState } from "../../core/model.js";
import { mergeConfig } from "./config-merge.js";
import { idConflict, idempotentMatch, replayOfVersion, schemaHasOtherId } from "./explicit-register.js";
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
  modes: Map<string | null, RegistryMode>;
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
    modes: new Map(),
    nextId: 1,
  };
  /** One FIFO queue per subject: registrations of one subject run one at a time, like the SQL lock. */
  private readonly queues = new Map<string, SerialQueue>();

  register(input: RegisterInput, guard: RegistrationGuard): Promise<RegisterResult> {
    return this.queueOf(input.subject).run(() => register(this.state, input, guard));
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
      .map(copyRecord);
  }

  async getVersion(subject: string, version: number): Promise<VersionRecord | undefined> {
    const row = this.find(subject, version);
    return row === undefined ? undefined : copyRecord(row);
  }

  async getSchemaById(id: number): Promise<SchemaRecord | undefined> {
    const schema = this.state.schemasById.get(id);
    return schema === undefined ? undefined : { ...schema, references: [...schema.references] };
  }

  async listReferencedBy(subject: string, version: number): Promise<number[]> {
    return [...new Set(this.referrers(subject, [version], false).map((r) => r.id))].sort((a, b) => a - b);
  }

  /** Versions (other than `versions` of `subject` themselves) whose schema references one of them. */
  private referrers(subject: string, versions: readonly number[], withDeleted: boolean): VersionRecord[] {
    const targets = new Set(versions);
    const self = (r: VersionRecord) => r.subject === subject && targets.has(r.version);
    return [...this.state.versions.values()]
      .flat()
      .filter((r) => (withDeleted || !r.deleted) && !self(r))
      .filter((r) => r.references.some((ref) => ref.subject === subject && targets.has(ref.version)));
  }

  private assertNotReferenced(subject: string, versions: readonly number[], permanent: boolean): void {
    const found = this.referrers(subject, versions, permanent);
    const first = found[0];
    if (first === undefined) return;
    const target = first.references.find((ref) => ref.subject === subject && versions.includes(ref.version));
    throw STORE_ERRORS.referenceExists(
      subject,
      target?.version ?? versions[0]!,
      found.slice(0, 5).map((r) => `${r.subject}@${r.version}`),
    );
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

  async softDeleteVersion(subject: string, version: number): Promise<void> {
    if (this.liveness(subject) !== "live") throw STORE_ERRORS.subjectNotFound(subject);
    const row = this.find(subject, version);
    if (row === undefined) throw STORE_ERRORS.versionNotFound(subject, version);
    if (row.deleted) throw STORE_ERRORS.versionSoftDeleted(subject, version);
    this.assertNotReferenced(subject, [version], false);
    row.deleted = true;
  }

  async hardDeleteVersion(subject: string, version: number): Promise<void> {
    if (this.liveness(subject) === "unknown") throw STORE_ERRORS.subjectNotFound(subject);
    const row = this.find(subject, version);
    if (row === undefined) throw STORE_ERRORS.versionNotFound(subject, version);
    if (!row.deleted) throw STORE_ERRORS.versionNotSoftDeleted(subject, version);
    this.assertNotReferenced(subject, [version], true);
    this.state.versions.set(
      subject,
      this.rows(subject).filter((r) => r !== row),
    );
  }

  async softDeleteSubject(subject: string): Promise<number[]> {
    const status = this.liveness(subject);
    if (status === "unknown") throw STORE_ERRORS.subjectNotFound(subject);
    if (status === "deleted") throw STORE_ERRORS.subjectSoftDeleted(subject);
    this.assertNotReferenced(
      subject,
      this.rows(subject).map((r) => r.version),
      false,
    );
    const live = this.rows(subject).filter((r) => !r.deleted);
    for (const r of live) r.deleted = true;
    return live.map((r) => r.version);
  }

  async hardDeleteSubject(subject: string): Promise<number[]> {
    const status = this.liveness(subject);
    if (status === "unknown") throw STORE_ERRORS.subjectNotFound(subject);
    if (status === "live") throw STORE_ERRORS.subjectNotSoftDeleted(subject);
    const removed = this.rows(subject).map((r) => r.version);
    this.assertNotReferenced(subject, removed, true);
    this.state.versions.delete(subject);
    this.state.lastVersion.delete(subject);
    this.state.configs.delete(subject);
    this.state.modes.delete(subject);
    return removed;
  }

  async setVersionState(subject: string, version: number, state: VersionState): Promise<void> {
    if (this.liveness(subject) === "unknown") throw STORE_ERRORS.subjectNotFound(subject);
    const row = this.find(subject, version);
    if (row === undefined) throw STORE_ERRORS.versionNotFound(subject, version);
    if (row.deleted) throw STORE_ERRORS.versionSoftDeleted(subject, version);
    row.state = state;
  }

  async getConfig(subject: string | null): Promise<SubjectConfig | undefined> {
    const config = this.state.configs.get(subject);
    return config === undefined ? undefined : { ...config };
  }

  setConfig(subject: string | null, patch: SubjectConfig): Promise<SubjectConfig> {
    // Like the SQL store: a subject's config changes between, never during, its registrations.
    const apply = async () => {
      const merged = mergeConfig(this.state.configs.get(subject), patch);
      this.state.configs.set(subject, merged);
      return { ...merged };
    };
    return subject === null ? apply() : this.queueOf(subject).run(apply);
  }

  async deleteConfig(subject: string | null): Promise<SubjectConfig | undefined> {
    const config = this.state.configs.get(subject);
    this.state.configs.delete(subject);
    return config;
  }

  async getModes(subject: string | null): Promise<StoredModes> {
    return {
      subject: subject === null ? undefined : this.state.modes.get(subject),
      global: this.state.modes.get(null),
    };
  }

  setMode(subject: string | null, mode: RegistryMode, options?: { ifEmpty?: boolean }): Promise<boolean> {
    const apply = async () => {
      const scope = subject === null ? [...this.state.versions.values()] : [this.rows(subject)];
      if (options?.ifEmpty === true && scope.some((list) => list.some((r) => !r.deleted))) return false;
      this.state.modes.set(subject, mode);
      return true;
    };
    return subject === null ? apply() : this.queueOf(subject).run(apply);
  }

  async deleteMode(subject: string | null): Promise<RegistryMode | undefined> {
    const mode = this.state.modes.get(subject);
    this.state.modes.delete(subject);
    return mode;
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

/** A copy the caller may change without changing the stored row. */
function copyRecord(r: VersionRecord): VersionRecord {
  return { ...r, references: r.references.map((ref) => ({ ...ref })) };
}

async function register(
  state: MemoryState,
  input: RegisterInput,
  guard: RegistrationGuard,
): Promise<RegisterResult> {
  const list = state.versions.get(input.subject) ?? [];
  const undeleted = list.filter((r) => !r.deleted);
  const existing = idempotentMatch(undeleted, input);
  if (existing !== undefined) return existing;
  const replay = replayOfVersion(
    input.version === undefined ? undefined : list.find((r) => r.version === input.version),
    input,
  );
  if (replay !== undefined) return replay;
  // The guard gets copies: it must not be able to change stored rows.
  const config = (key: string | null) => {
    const found = state.configs.get(key);
    return found === undefined ? undefined : { ...found };
  };
  await guard(
    undeleted.map((r) => ({ ...r, references: [...r.references] })),
    {
      subject: config(input.subject),
      global: config(null),
      modes: { subject: state.modes.get(input.subject), global: state.modes.get(null) },
    },
  );
  for (const ref of input.references ?? []) {
    const target = state.versions.get(ref.subject)?.find((r) => r.version === ref.version);
    if (target === undefined || target.deleted)
      throw STORE_ERRORS.referenceNotFound(ref.subject, ref.version);
  }
  const id = schemaId(state, input);
  const last = state.lastVersion.get(input.subject) ?? 0;
  const version = input.version ?? last + 1;
  state.lastVersion.set(input.subject, Math.max(last, version));
  list.push({
    subject: input.subject,
    version,
    id,
    fingerprint: input.fingerprint,
    schema: state.schemasById.get(id)?.schema ?? input.schema,
    references: (state.schemasById.get(id)?.references ?? []).map((r) => ({ ...r })),
    state: "ENABLED",
    deleted: false,
    createdAt: new Date().toISOString(),
  });
  // Explicit versions may arrive out of order: keep the list oldest (lowest number) first.
  list.sort((a, b) => a.version - b.version);
  state.versions.set(input.subject, list);
  return { id, version, created: true };
}

/** The fingerprint's id; else the explicit one (checked, and kept out of later draws) or a new one. */
function schemaId(state: MemoryState, input: RegisterInput): number {
  const known = state.idsByFingerprint.get(input.fingerprint);
  if (input.id !== undefined && known !== undefined && known !== input.id)
    throw schemaHasOtherId(input.id, known);
  if (known !== undefined) return known;
  if (input.id !== undefined && state.schemasById.has(input.id)) throw idConflict(input.id);
  const id = input.id ?? state.nextId;
  state.nextId = Math.max(state.nextId, id + 1);
  state.idsByFingerprint.set(input.fingerprint, id);
  const references = (input.references ?? []).map((r) => ({ ...r }));
  state.schemasById.set(id, { id, fingerprint: input.fingerprint, schema: input.schema, references });
  return id;
}
