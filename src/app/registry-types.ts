import type { Difference } from "../core/compat/types.js";
import type { JsonSchema } from "../core/json.js";
import type {
  CompatibilityLevel,
  CompatibilityPolicy,
  Profile,
  RegistryMode,
  VersionState,
} from "../core/model.js";
import type { LintProblem } from "../core/schema/lint-types.js";
import type { SchemaReference } from "../core/schema/references.js";

/** A version as the registry shows it (Confluent's fields first, structreg's extensions after). */
export interface VersionView {
  subject: string;
  version: number;
  id: number;
  schemaType: "JSON";
  /** Schema as JSON text (canonical form). */
  schema: string;
  // structreg extensions
  fingerprint: string;
  state: VersionState;
  deleted: boolean;
  createdAt: string;
  /** Confluent's `references` (exact versions, as registered); absent when there are none, as Confluent omits them. */
  references?: SchemaReference[];
}

/** What register, check, lookup and compatibility accept besides the schema (Confluent's request fields). */
export interface SchemaRequestOptions {
  schemaType?: string;
  /** `[{name, subject, version}]`: `name` is the `$ref` target the schema uses; version -1 is the latest. */
  references?: readonly SchemaReference[];
}

/** Effective settings of a subject (its own, else global, else defaults). */
export interface EffectiveConfig {
  compatibilityLevel: CompatibilityLevel;
  policy: CompatibilityPolicy;
  profile: Profile;
}

/** Verdict of a compatibility check against one or more earlier versions. */
export interface CompatibilityVerdict {
  isCompatible: boolean;
  /** Human messages, one per offending difference (with the fix where one exists). */
  messages: string[];
  /** Offending differences, each with the version it was found against and the direction. */
  differences: Array<Difference & { version: number; direction: "backward" | "forward"; fix?: string }>;
}

/** Full dry-run verdict: would registering this schema succeed, and what would happen. */
export interface CheckVerdict {
  registrable: boolean;
  /** The existing version when the schema is already registered under the subject. */
  existing?: { id: number; version: number };
  fingerprint: string;
  lint: LintProblem[];
  compatibility: CompatibilityVerdict;
  /** Message of the error registration would give (invalid schema, unsafe pattern …), when not registrable. */
  error?: { code: string; message: string };
}

/** Use cases of the registry. Errors are StructregError with stable codes. */
export interface RegistryService {
  /**
   * Registers a schema (JSON text or parsed) under a subject; idempotent for an already-registered schema.
   * `id`/`version` (IMPORT mode only; -1 means not given) store it under exactly that id and version.
   */
  register(
    subject: string,
    schema: string | JsonSchema,
    options?: SchemaRequestOptions & { id?: number; version?: number },
  ): Promise<{
    id: number;
    version: number;
    created: boolean;
    fingerprint: string;
  }>;
  /** Dry run of `register`: lint, safety and compatibility verdict, nothing stored. */
  check(subject: string, schema: string | JsonSchema, options?: SchemaRequestOptions): Promise<CheckVerdict>;
  /**
   * Compatibility of `schema` against one version (`version` given: a number or "latest") or, when
   * `version` is undefined, against the versions the subject's level names (all live ones if transitive).
   */
  checkCompatibility(
    subject: string,
    schema: string | JsonSchema,
    version?: number | "latest",
    options?: SchemaRequestOptions,
  ): Promise<CompatibilityVerdict>;
  /** The registered version holding this schema under the subject; SR_SCHEMA_NOT_FOUND when none. */
  lookup(
    subject: string,
    schema: string | JsonSchema,
    options?: { includeDeleted?: boolean; references?: readonly SchemaReference[] },
  ): Promise<VersionView>;

  listSubjects(options?: { includeDeleted?: boolean }): Promise<string[]>;
  listVersions(subject: string, options?: { includeDeleted?: boolean }): Promise<number[]>;
  /** A version by number or "latest" (latest skips soft-deleted and DISABLED versions). */
  getVersion(
    subject: string,
    version: number | "latest",
    options?: { includeDeleted?: boolean },
  ): Promise<VersionView>;
  /** The schema of a version as sent to the provider (x- annotations and `default` stripped). */
  getProviderSchema(subject: string, version: number | "latest"): Promise<JsonSchema>;
  /** A version's self-contained schema: referenced documents inlined under `$defs` (the stored one without references). */
  getBundledSchema(
    subject: string,
    version: number | "latest",
    options?: { includeDeleted?: boolean },
  ): Promise<JsonSchema>;
  /** Ids of the schemas whose live versions reference this version (Confluent's `referencedby`). */
  getReferencedBy(subject: string, version: number | "latest"): Promise<number[]>;
  getSchemaById(
    id: number,
  ): Promise<{ schema: string; schemaType: "JSON"; fingerprint: string; references?: SchemaReference[] }>;
  getSubjectVersionsById(
    id: number,
    options?: { includeDeleted?: boolean },
  ): Promise<Array<{ subject: string; version: number }>>;

  /** Soft delete (or permanent, only after soft) of one version; returns the version number. */
  deleteVersion(
    subject: string,
    version: number | "latest",
    options?: { permanent?: boolean },
  ): Promise<number>;
  /** Soft delete (or permanent, only after soft) of a subject; returns its version numbers. */
  deleteSubject(subject: string, options?: { permanent?: boolean }): Promise<number[]>;
  setVersionState(subject: string, version: number, state: VersionState): Promise<VersionView>;

  /** Effective config; with `defaultToGlobal: false` a subject without its own level is SR_SUBJECT_CONFIG_NOT_FOUND. */
  getConfig(subject: string | null, options?: { defaultToGlobal?: boolean }): Promise<EffectiveConfig>;
  setConfig(
    subject: string | null,
    patch: { compatibility?: CompatibilityLevel; policy?: CompatibilityPolicy; profile?: Profile },
  ): Promise<EffectiveConfig>;
  /** Removes a subject's own config (falls back to global); returns the effective config before. */
  deleteConfig(subject: string | null): Promise<EffectiveConfig>;

  /**
   * The global mode (subject null), or a subject's own mode: SR_SUBJECT_MODE_NOT_FOUND when it has none, unless
   * `defaultToGlobal`, which answers the mode in force.
   */
  getMode(subject: string | null, options?: { defaultToGlobal?: boolean }): Promise<RegistryMode>;
  /** Sets a mode (any case); IMPORT needs an empty scope unless `force` (SR_IMPORT_NOT_EMPTY). */
  setMode(subject: string | null, mode: string, options?: { force?: boolean }): Promise<RegistryMode>;
  /** Removes a subject's own mode; returns it (SR_SUBJECT_NOT_FOUND when it had none, as Confluent). */
  deleteMode(subject: string): Promise<RegistryMode>;

  ready(): Promise<void>;
}
