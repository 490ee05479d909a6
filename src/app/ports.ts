import type {
  CompatibilityLevel,
  CompatibilityPolicy,
  Profile,
  RegistryMode,
  VersionState,
} from "../core/model.js";
import type { SchemaReference } from "../core/schema/references.js";
import type {
  NewQuarantineEntry,
  QuarantineQuery,
  QuarantineRecord,
  QuarantineRetention,
} from "./validation-types.js";

/**
 * A stored version of a subject. `schema` is the JSON text as first registered (compact, the author's key order:
 * OpenAI generates properties in schema order); `fingerprint` is of the canonical form (sorted keys).
 */
export interface VersionRecord {
  subject: string;
  version: number;
  /** Global id of the distinct canonical schema (shared across subjects). */
  id: number;
  /** sha256 hex of the canonical JSON text. */
  fingerprint: string;
  schema: string;
  state: VersionState;
  /** Soft-deleted versions are kept until a permanent delete. */
  deleted: boolean;
  /** ISO-8601 timestamp. */
  createdAt: string;
  /** The schema's references as registered (exact versions, the author's order); empty for none. */
  references: SchemaReference[];
}

/** A distinct schema (by canonical fingerprint); `schema` is the first registered text of it. */
export interface SchemaRecord {
  id: number;
  fingerprint: string;
  schema: string;
  /** References of the schema (part of its identity, like the text). */
  references: SchemaReference[];
}

/** Per-subject (or global, when subject is null) settings. Absent fields inherit from global, then defaults. */
export interface SubjectConfig {
  compatibility?: CompatibilityLevel;
  policy?: CompatibilityPolicy;
  profile?: Profile;
}

/** What `SchemaStore.register` is asked to store. */
export interface RegisterInput {
  subject: string;
  fingerprint: string;
  /** Compact JSON text in the author's key order (identity is `fingerprint`, of the canonical form). */
  schema: string;
  /**
   * Exact versions this schema references (identity includes them: `fingerprint` covers them). The store
   * refuses the registration with SR_REFERENCE_NOT_FOUND when one of them is missing or soft-deleted under
   * the lock, so a referenced version can never be deleted between the check and the commit. Absent: none.
   */
  references?: SchemaReference[];
  /** IMPORT mode: the global id to store the schema under (else the fingerprint's id, or a new one). */
  id?: number;
  /** IMPORT mode: the version number to store it at (else max version ever used + 1). */
  version?: number;
}

/** Result of a registration: the version the schema lives at, and whether this call created it. */
export interface RegisterResult {
  id: number;
  version: number;
  created: boolean;
}

/** The subject's own and the global config as read inside the registration's lock (undefined: none set). */
export interface RegistrationConfigs {
  subject: SubjectConfig | undefined;
  global: SubjectConfig | undefined;
  /** The subject's own and the global mode, read under the same lock (undefined: none set). */
  modes: StoredModes;
}

/** A subject's own mode and the global one, as stored (undefined: none set). */
export interface StoredModes {
  subject: RegistryMode | undefined;
  global: RegistryMode | undefined;
}

/**
 * Called by `SchemaStore.register` inside the subject's lock with the subject's undeleted versions
 * (all states, oldest first) and its configs read under that lock (a config change waits for the lock, so
 * the check never uses a config older than the one in force at commit), after the idempotency check and
 * before anything is written. Throw (a StructregError) to refuse the registration; nothing is written then.
 */
export type RegistrationGuard = (
  undeleted: VersionRecord[],
  configs: RegistrationConfigs,
) => void | Promise<void>;

/**
 * Durable registry storage. Every method is atomic. Implementations: memory (tests), SQL over PGlite or PostgreSQL.
 * Lookups return `undefined` for missing rows; methods that change a row throw StructregError with the
 * matching Confluent code (SR_SUBJECT_NOT_FOUND, SR_VERSION_NOT_FOUND, SR_VERSION_NOT_SOFT_DELETED, …).
 */
export interface SchemaStore {
  /**
   * Registers `input` under its subject, serialised per subject (also across processes sharing a database):
   * if an undeleted version of the subject already has this fingerprint, returns it with `created: false`
   * and does not call `guard`; otherwise calls `guard(undeleted)` and, if it does not throw, assigns the
   * global id of the fingerprint (reusing it when another subject has it) and the next version number
   * (max version ever used by the subject + 1, counting soft-deleted ones) in one transaction.
   * With an explicit `input.id`/`input.version` (IMPORT): an undeleted version with this fingerprint and
   * that id (or no id given) is returned as is; the version row already holding this fingerprint and id is
   * returned as is (even soft-deleted); a version holding something else is SR_IMPORT_VERSION_CONFLICT; an id
   * of another schema SR_IMPORT_ID_CONFLICT; a schema stored under another id SR_IMPORT_SCHEMA_HAS_ID. New ids
   * assigned later never collide with imported ones.
   */
  register(input: RegisterInput, guard: RegistrationGuard): Promise<RegisterResult>;

  /** Subjects with at least one version; soft-deleted subjects (all versions soft-deleted) only when asked. */
  listSubjects(options?: { includeDeleted?: boolean }): Promise<string[]>;
  /** Versions of a subject, oldest first; soft-deleted ones only when asked. Empty when unknown. */
  listVersions(subject: string, options?: { includeDeleted?: boolean }): Promise<VersionRecord[]>;
  /** One version, soft-deleted or not (check `.deleted`). */
  getVersion(subject: string, version: number): Promise<VersionRecord | undefined>;
  /** The schema with a global id. */
  getSchemaById(id: number): Promise<SchemaRecord | undefined>;
  /** Every (subject, version) using a schema id; soft-deleted ones only when asked. */
  listVersionsBySchemaId(
    id: number,
    options?: { includeDeleted?: boolean },
  ): Promise<Array<{ subject: string; version: number }>>;

  /**
   * Ids of the schemas whose live (not soft-deleted) versions reference this version, ascending
   * (Confluent's `referencedby`).
   */
  listReferencedBy(subject: string, version: number): Promise<number[]>;

  /**
   * Soft-deletes one version. Throws SR_SUBJECT_NOT_FOUND / SR_VERSION_NOT_FOUND / SR_VERSION_SOFT_DELETED,
   * and SR_REFERENCE_EXISTS while a live version references it (the hard deletes and subject deletes too; a
   * hard delete also while a soft-deleted version references it, so nothing still readable dangles).
   */
  softDeleteVersion(subject: string, version: number): Promise<void>;
  /** Permanently deletes one soft-deleted version. Throws SR_VERSION_NOT_SOFT_DELETED when it is not. */
  hardDeleteVersion(subject: string, version: number): Promise<void>;
  /** Soft-deletes every version of a subject; returns their numbers. Throws SR_SUBJECT_NOT_FOUND / SR_SUBJECT_SOFT_DELETED. */
  softDeleteSubject(subject: string): Promise<number[]>;
  /** Permanently deletes a soft-deleted subject (versions and config); returns the version numbers removed. Throws SR_SUBJECT_NOT_SOFT_DELETED. */
  hardDeleteSubject(subject: string): Promise<number[]>;
  /** Changes a version's state. Throws SR_SUBJECT_NOT_FOUND / SR_VERSION_NOT_FOUND. */
  setVersionState(subject: string, version: number, state: VersionState): Promise<void>;

  /** Config of a subject, or the global config when `subject` is null; undefined when none is set. */
  getConfig(subject: string | null): Promise<SubjectConfig | undefined>;
  /** Merges `patch` into the config (fields absent from `patch` are kept). Returns the stored config. */
  setConfig(subject: string | null, patch: SubjectConfig): Promise<SubjectConfig>;
  /** Removes a subject's (or the global) config; returns what was there. */
  deleteConfig(subject: string | null): Promise<SubjectConfig | undefined>;

  /** The subject's own mode and the global one (`subject` null: only the global one is read). */
  getModes(subject: string | null): Promise<StoredModes>;
  /**
   * Sets a subject's (or the global, when null) mode, under the lock registrations of that scope take. With
   * `ifEmpty`, writes only when the scope has no live (undeleted) version and answers false otherwise.
   */
  setMode(subject: string | null, mode: RegistryMode, options?: { ifEmpty?: boolean }): Promise<boolean>;
  /** Removes a subject's (or the global) mode; returns what was there. */
  deleteMode(subject: string | null): Promise<RegistryMode | undefined>;

  /** Readiness probe: resolves when the store answers a trivial query. */
  ping(): Promise<void>;
  /** Releases connections, file locks and memory. */
  close(): Promise<void>;
}

/**
 * Durable quarantine of bad validate-and-parse cases. `add` resolves only once the row is durable (the
 * HTTP answer naming its id is sent after). Retention is enforced per subject on `add` and by `prune`.
 */
export interface QuarantineStore {
  /** Stores a sample and applies retention to its subject; returns the stored record. */
  add(entry: NewQuarantineEntry, retention: QuarantineRetention, now: Date): Promise<QuarantineRecord>;
  /** One sample, or undefined. */
  get(id: number): Promise<QuarantineRecord | undefined>;
  /** Newest first, filtered, paged by id cursor. */
  list(query: QuarantineQuery): Promise<{ items: QuarantineRecord[]; nextCursor?: number }>;
  /** Marks samples resolved by `version`; returns how many changed (already-resolved ones are left as they are). */
  markResolved(ids: number[], version: number, now: Date): Promise<number>;
  /** Applies retention to every subject; returns how many samples were dropped. */
  prune(retention: QuarantineRetention, now: Date): Promise<number>;
  /** Open and resolved counts per subject (for metrics and listings). */
  counts(): Promise<Array<{ subject: string; open: number; resolved: number }>>;
}
