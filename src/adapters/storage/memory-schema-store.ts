import type {
  RegisterInput,
  RegisterResult,
  RegistrationGuard,
  SchemaRecord,
  SchemaStore,
  SubjectConfig,
  VersionRecord,
} from "../../app/ports.js";
import type { VersionState } from "../../core/model.js";
import { mergeConfig } from "./config-merge.js";
import { createSerialQueue, type SerialQueue } from "./sql-client.js";
import { STORE_ERRORS, subjectLiveness } from "./store-errors.js";

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
  const state: MemoryState = {
    schemasById: new Map(),
    idsByFingerprint: new Map(),
    versions: new Map(),
    lastVersion: new Map(),
    configs: new Map(),
    nextId: 1,
  };
  const queues = new Map<string, SerialQueue>();
  const queueOf = (subject: string): SerialQueue => {
    let queue = queues.get(subject);
    if (queue === undefined) {
      queue = createSerialQueue();
      queues.set(subject, queue);
    }
    return queue;
  };
  const rows = (subject: string): VersionRecord[] => state.versions.get(subject) ?? [];
  const find = (subject: string, version: number) => rows(subject).find((r) => r.version === version);
  const liveness = (subject: string) => subjectLiveness(rows(subject).map((r) => r.deleted));

  return {
    register: (input, guard) => queueOf(input.subject).run(() => register(state, input, guard)),

    async listSubjects(options) {
      const subjects = [...state.versions.entries()]
        .filter(
          ([, list]) => list.length > 0 && (options?.includeDeleted === true || list.some((r) => !r.deleted)),
        )
        .map(([subject]) => subject);
      return subjects.sort();
    },
    async listVersions(subject, options) {
      return rows(subject)
        .filter((r) => options?.includeDeleted === true || !r.deleted)
        .map((r) => ({ ...r }));
    },
    async getVersion(subject, version) {
      const row = find(subject, version);
      return row === undefined ? undefined : { ...row };
    },
    async getSchemaById(id) {
      const schema = state.schemasById.get(id);
      return schema === undefined ? undefined : { ...schema };
    },
    async listVersionsBySchemaId(id, options) {
      const found: Array<{ subject: string; version: number }> = [];
      for (const [subject, list] of [...state.versions.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
        for (const r of list) {
          if (r.id === id && (options?.includeDeleted === true || !r.deleted))
            found.push({ subject, version: r.version });
        }
      }
      return found;
    },

    async softDeleteVersion(subject, version) {
      if (liveness(subject) !== "live") throw STORE_ERRORS.subjectNotFound(subject);
      const row = find(subject, version);
      if (row === undefined) throw STORE_ERRORS.versionNotFound(subject, version);
      if (row.deleted) throw STORE_ERRORS.versionSoftDeleted(subject, version);
      row.deleted = true;
    },
    async hardDeleteVersion(subject, version) {
      if (liveness(subject) === "unknown") throw STORE_ERRORS.subjectNotFound(subject);
      const row = find(subject, version);
      if (row === undefined) throw STORE_ERRORS.versionNotFound(subject, version);
      if (!row.deleted) throw STORE_ERRORS.versionNotSoftDeleted(subject, version);
      state.versions.set(
        subject,
        rows(subject).filter((r) => r !== row),
      );
    },
    async softDeleteSubject(subject) {
      const status = liveness(subject);
      if (status === "unknown") throw STORE_ERRORS.subjectNotFound(subject);
      if (status === "deleted") throw STORE_ERRORS.subjectSoftDeleted(subject);
      const live = rows(subject).filter((r) => !r.deleted);
      for (const r of live) r.deleted = true;
      return live.map((r) => r.version);
    },
    async hardDeleteSubject(subject) {
      const status = liveness(subject);
      if (status === "unknown") throw STORE_ERRORS.subjectNotFound(subject);
      if (status === "live") throw STORE_ERRORS.subjectNotSoftDeleted(subject);
      const removed = rows(subject).map((r) => r.version);
      state.versions.delete(subject);
      state.lastVersion.delete(subject);
      state.configs.delete(subject);
      return removed;
    },
    async setVersionState(subject, version, newState: VersionState) {
      if (liveness(subject) === "unknown") throw STORE_ERRORS.subjectNotFound(subject);
      const row = find(subject, version);
      if (row === undefined) throw STORE_ERRORS.versionNotFound(subject, version);
      if (row.deleted) throw STORE_ERRORS.versionSoftDeleted(subject, version);
      row.state = newState;
    },

    async getConfig(subject) {
      const config = state.configs.get(subject);
      return config === undefined ? undefined : { ...config };
    },
    async setConfig(subject, patch) {
      const merged = mergeConfig(state.configs.get(subject), patch);
      state.configs.set(subject, merged);
      return { ...merged };
    },
    async deleteConfig(subject) {
      const config = state.configs.get(subject);
      state.configs.delete(subject);
      return config;
    },

    async ping() {},
    async close() {},
  };
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
  await guard(undeleted.map((r) => ({ ...r })));
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
