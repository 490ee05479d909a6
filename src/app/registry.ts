import { createHash } from "node:crypto";
import { checkCompatibility } from "../core/compat/check.js";
import { StructregError } from "../core/errors.js";
import type { JsonSchema } from "../core/json.js";
import {
  type CompatibilityLevel,
  DEFAULT_COMPATIBILITY,
  DEFAULT_POLICY,
  DEFAULT_PROFILE,
  isVersionState,
  type Profile,
  type VersionState,
} from "../core/model.js";
import { analyzeSchema } from "../core/schema/analyze.js";
import type { SchemaLimits } from "../core/schema/limits.js";
import { toProviderSchema } from "../core/schema/provider-form.js";
import type { ReferenceLimits, SchemaReference } from "../core/schema/references.js";
import { type CompileCheckOptions, createCompileCheck } from "./compile-check.js";
import { assertRegisterMode, effectiveMode, explicitTarget } from "./mode-rules.js";
import type { SchemaStore, SubjectConfig, VersionRecord } from "./ports.js";
import { createReferenceResolver, type ResolvedReferences } from "./reference-resolver.js";
import { createModeUseCases } from "./registry-modes.js";
import {
  assertSubjectName,
  incompatible,
  incompatibleMessage,
  notFoundSubject,
  notFoundVersion,
  validConfigPatch,
} from "./registry-rules.js";
import type {
  CheckVerdict,
  CompatibilityVerdict,
  EffectiveConfig,
  RegistryService,
  VersionView,
} from "./registry-types.js";

/** What the registry is built from. */
export interface RegistryDeps {
  store: SchemaStore;
  limits?: Partial<SchemaLimits>;
  /** Called after every registration attempt (for metrics); never throws into the caller. */
  onRegistration?: (event: {
    subject: string;
    outcome: "created" | "existing" | "refused";
    code?: string;
  }) => void;
  /**
   * Called after a change to a subject's versions (a registration that created one, a delete, a state
   * change), e.g. to invalidate a validation cache; never throws into the caller.
   */
  onChange?: (subject: string) => void;
  /** How schemas are compiled and how many compile verdicts are kept by fingerprint. */
  compile?: CompileCheckOptions;
  /** Bounds of one reference resolution (documents, bytes, depth); defaults in core/schema/references.ts. */
  referenceLimits?: Partial<ReferenceLimits>;
}

/** Options every schema-taking use case accepts (Confluent's request fields besides the schema). */
export interface SchemaOptions {
  schemaType?: string;
  references?: readonly SchemaReference[];
}

/** sha256 hex of a text (the fingerprint hash). */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** The config in force: the subject's own fields, else the global ones, else the defaults. */
function mergedConfig(own: SubjectConfig | undefined, global: SubjectConfig | undefined): EffectiveConfig {
  return {
    compatibilityLevel: own?.compatibility ?? global?.compatibility ?? DEFAULT_COMPATIBILITY,
    policy: own?.policy ?? global?.policy ?? DEFAULT_POLICY,
    profile: own?.profile ?? global?.profile ?? DEFAULT_PROFILE,
  };
}

/** Creates the registry use cases over a store. */
export function createRegistryService(deps: RegistryDeps): RegistryService {
  const { store } = deps;
  const compileCheck = createCompileCheck(deps.compile);
  // Stored schemas are immutable: each is parsed (and bundled) once, by fingerprint (FULL_TRANSITIVE re-reads all).
  const resolver = createReferenceResolver(store, deps.referenceLimits);
  const modes = createModeUseCases(store);

  /** The references of a request resolved to exact versions (none: nothing to fetch). */
  async function resolveReferences(options: SchemaOptions): Promise<ResolvedReferences | undefined> {
    const references = options.references ?? [];
    return references.length === 0 ? undefined : resolver.resolve(references);
  }

  async function effectiveConfig(subject: string | null): Promise<EffectiveConfig> {
    const global = await store.getConfig(null);
    return mergedConfig(subject === null ? undefined : await store.getConfig(subject), global);
  }

  /** Safety + compile (+ lint under `profile`) of the bundled form; throws the typed refusal. */
  function analyzeOrThrow(
    schema: string | JsonSchema,
    profile: Profile,
    schemaType: string | undefined,
    refs?: ResolvedReferences,
  ) {
    const result = analyze(schema, profile, schemaType, refs);
    if (!result.ok) {
      throw new StructregError(result.code, result.message, {
        details: { lint: result.lint },
        ...(result.hint ? { hint: result.hint } : {}),
      });
    }
    return result;
  }

  function analyze(
    schema: string | JsonSchema,
    profile: Profile,
    schemaType: string | undefined,
    refs: ResolvedReferences | undefined,
  ) {
    return analyzeSchema(schema, {
      profile,
      sha256: sha256Hex,
      compileCheck,
      ...(deps.limits ? { limits: deps.limits } : {}),
      ...(schemaType === undefined ? {} : { schemaType }),
      ...(refs === undefined ? {} : { references: refs.references, bundle: refs.bundle }),
    });
  }

  /** Compatibility of a (bundled) schema with the live versions among `previous`, each bundled too. */
  async function verdictAgainst(
    level: CompatibilityLevel,
    config: EffectiveConfig,
    schema: JsonSchema,
    previous: VersionRecord[],
  ): Promise<CompatibilityVerdict> {
    const live = previous.filter((v) => !v.deleted && v.state !== "DISABLED");
    const schemas = await Promise.all(live.map((v) => resolver.bundledOf(v)));
    return checkCompatibility({
      level,
      policy: config.policy,
      schema,
      previous: live.map((v, i) => ({ version: v.version, schema: schemas[i] as JsonSchema })),
      // Each diff may do as many steps as a schema may have bytes (work-budget.ts).
      ...(deps.limits?.maxSchemaBytes === undefined ? {} : { maxWork: deps.limits.maxSchemaBytes }),
    });
  }

  async function requireSubject(subject: string, includeDeleted = true): Promise<VersionRecord[]> {
    const versions = await store.listVersions(subject, { includeDeleted: true });
    if (versions.length === 0) throw notFoundSubject(subject);
    if (!includeDeleted && versions.every((v) => v.deleted)) throw notFoundSubject(subject);
    return versions;
  }

  async function resolveVersion(
    subject: string,
    version: number | "latest",
    includeDeleted: boolean,
  ): Promise<VersionRecord> {
    const all = await requireSubject(subject);
    if (version === "latest") {
      const latest = all.filter((v) => !v.deleted && v.state !== "DISABLED").at(-1);
      if (!latest) throw notFoundVersion(subject, "latest");
      return latest;
    }
    const found = all.find((v) => v.version === version);
    if (!found || (found.deleted && !includeDeleted)) throw notFoundVersion(subject, version);
    return found;
  }

  function refused(subject: string, err: unknown): never {
    const code = err instanceof StructregError ? err.code : "SR_INTERNAL";
    safely(() => deps.onRegistration?.({ subject, outcome: "refused", code }));
    throw err;
  }

  const service: RegistryService = {
    async register(subject, schema, options = {}) {
      assertSubjectName(subject);
      const explicit = explicitTarget(options);
      // An import copies what another registry holds: no provider lint (IMPORT needs explicit ids anyway).
      const imported = explicit.id !== undefined || explicit.version !== undefined;
      const config = await effectiveConfig(subject);
      const profileOf = (c: EffectiveConfig): Profile => (imported ? "json-schema" : c.profile);
      let analyzed: ReturnType<typeof analyzeOrThrow>;
      let refs: ResolvedReferences | undefined;
      try {
        refs = await resolveReferences(options);
        analyzed = analyzeOrThrow(schema, profileOf(config), options.schemaType, refs);
      } catch (err) {
        refused(subject, err);
      }
      try {
        const result = await store.register(
          // Identity is the canonical form (key order and whitespace never make a new version), but the text kept
          // and served is the author's, compacted: OpenAI generates keys in schema order, so order is meaning.
          {
            subject,
            fingerprint: analyzed.fingerprint,
            schema: JSON.stringify(analyzed.schema),
            references: refs?.references ?? [],
            ...explicit,
          },
          async (undeleted, configs) => {
            // Mode and config read under the subject's lock decide: one changed since the reads above wins.
            const mode = effectiveMode(configs.modes);
            assertRegisterMode(subject, mode, explicit);
            // Confluent does not check compatibility in IMPORT mode: the source registry already did.
            if (mode === "IMPORT") return;
            const locked = mergedConfig(configs.subject, configs.global);
            if (profileOf(locked) !== profileOf(config))
              analyzeOrThrow(schema, profileOf(locked), options.schemaType, refs);
            const verdict = await verdictAgainst(
              locked.compatibilityLevel,
              locked,
              analyzed.bundled,
              undeleted,
            );
            if (!verdict.isCompatible) throw incompatible(subject, locked.compatibilityLevel, verdict);
          },
        );
        if (result.created) safely(() => deps.onChange?.(subject));
        safely(() => deps.onRegistration?.({ subject, outcome: result.created ? "created" : "existing" }));
        return { ...result, fingerprint: analyzed.fingerprint };
      } catch (err) {
        refused(subject, err);
      }
    },

    async check(subject, schema, options = {}) {
      assertSubjectName(subject);
      const config = await effectiveConfig(subject);
      const analyzed = analyze(schema, config.profile, options.schemaType, await resolveReferences(options));
      const empty: CompatibilityVerdict = { isCompatible: true, messages: [], differences: [] };
      if (!analyzed.ok) {
        return {
          registrable: false,
          fingerprint: "",
          lint: analyzed.lint,
          compatibility: empty,
          error: { code: analyzed.code, message: analyzed.message },
        } satisfies CheckVerdict;
      }
      const undeleted = await store.listVersions(subject);
      const same = undeleted.find((v) => v.fingerprint === analyzed.fingerprint);
      if (same) {
        return {
          registrable: true,
          existing: { id: same.id, version: same.version },
          fingerprint: analyzed.fingerprint,
          lint: analyzed.lint,
          compatibility: empty,
        };
      }
      let compatibility: CompatibilityVerdict;
      try {
        compatibility = await verdictAgainst(config.compatibilityLevel, config, analyzed.bundled, undeleted);
      } catch (err) {
        // A diff past its work limit (SR_SCHEMA_TOO_COMPLEX) or the stack: registration would refuse it too.
        if (!(err instanceof StructregError)) throw err;
        const error = { code: err.code, message: err.message };
        return {
          registrable: false,
          fingerprint: analyzed.fingerprint,
          lint: analyzed.lint,
          compatibility: empty,
          error,
        };
      }
      return {
        registrable: compatibility.isCompatible,
        fingerprint: analyzed.fingerprint,
        lint: analyzed.lint,
        compatibility,
        ...(compatibility.isCompatible
          ? {}
          : {
              error: { code: "SR_INCOMPATIBLE_SCHEMA", message: incompatibleMessage(subject, compatibility) },
            }),
      };
    },

    async checkCompatibility(subject, schema, version, options = {}) {
      const config = await effectiveConfig(subject);
      const analyzed = analyzeOrThrow(schema, "json-schema", undefined, await resolveReferences(options));
      const all = await store.listVersions(subject);
      if (all.length === 0) {
        // Confluent: nothing to compare with is compatible for "latest" / the level; a numbered version is missing.
        if (typeof version === "number") throw notFoundSubject(subject);
        return { isCompatible: true, messages: [], differences: [] };
      }
      if (typeof version === "number") {
        const target = await resolveVersion(subject, version, false);
        return verdictAgainst(pinnedLevel(config.compatibilityLevel), config, analyzed.bundled, [target]);
      }
      return verdictAgainst(config.compatibilityLevel, config, analyzed.bundled, all);
    },

    async lookup(subject, schema, options = {}) {
      const analyzed = analyzeOrThrow(schema, "json-schema", undefined, await resolveReferences(options));
      const all = await requireSubject(subject, options.includeDeleted ?? false);
      const match = all.find(
        (v) => v.fingerprint === analyzed.fingerprint && (options.includeDeleted || !v.deleted),
      );
      if (!match)
        throw new StructregError("SR_SCHEMA_NOT_FOUND", `Schema not found under subject "${subject}"`);
      return toView(match);
    },

    async listSubjects(options = {}) {
      return store.listSubjects(options);
    },

    async listVersions(subject, options = {}) {
      const all = await requireSubject(subject, options.includeDeleted ?? false);
      return all.filter((v) => options.includeDeleted || !v.deleted).map((v) => v.version);
    },

    async getVersion(subject, version, options = {}) {
      return toView(await resolveVersion(subject, version, options.includeDeleted ?? false));
    },

    async getProviderSchema(subject, version) {
      return toProviderSchema(await resolver.bundledOf(await resolveVersion(subject, version, false)));
    },

    async getBundledSchema(subject, version, options = {}) {
      return resolver.bundledOf(await resolveVersion(subject, version, options.includeDeleted ?? false));
    },

    async getReferencedBy(subject, version) {
      const target = await resolveVersion(subject, version, true);
      return store.listReferencedBy(subject, target.version);
    },

    async getSchemaById(id) {
      const record = await store.getSchemaById(id);
      if (!record) throw new StructregError("SR_SCHEMA_NOT_FOUND", `Schema ${id} not found`);
      return {
        schema: record.schema,
        schemaType: "JSON",
        fingerprint: record.fingerprint,
        ...(record.references.length > 0 ? { references: record.references } : {}),
      };
    },

    async getSubjectVersionsById(id, options = {}) {
      const record = await store.getSchemaById(id);
      if (!record) throw new StructregError("SR_SCHEMA_NOT_FOUND", `Schema ${id} not found`);
      return store.listVersionsBySchemaId(id, options);
    },

    async deleteVersion(subject, version, options = {}) {
      const permanent = options.permanent ?? false;
      await modes.assertWritable(subject);
      const target = await resolveVersion(subject, version, permanent);
      if (permanent) await store.hardDeleteVersion(subject, target.version);
      else await store.softDeleteVersion(subject, target.version);
      safely(() => deps.onChange?.(subject));
      return target.version;
    },

    async deleteSubject(subject, options = {}) {
      await modes.assertWritable(subject);
      await requireSubject(subject);
      const removed = await (options.permanent
        ? store.hardDeleteSubject(subject)
        : store.softDeleteSubject(subject));
      safely(() => deps.onChange?.(subject));
      return removed;
    },

    async setVersionState(subject, version, state: VersionState) {
      if (!isVersionState(state)) {
        throw new StructregError("SR_INVALID_STATE", `Unknown state "${String(state)}"`, {
          hint: "use ENABLED, DEPRECATED or DISABLED",
        });
      }
      await modes.assertWritable(subject);
      const target = await resolveVersion(subject, version, false);
      await store.setVersionState(subject, target.version, state);
      safely(() => deps.onChange?.(subject));
      return toView({ ...target, state });
    },

    async getConfig(subject, options = {}) {
      if (subject !== null && options.defaultToGlobal === false) {
        const own = await store.getConfig(subject);
        if (!own || Object.keys(own).length === 0) {
          throw new StructregError(
            "SR_SUBJECT_CONFIG_NOT_FOUND",
            `Subject "${subject}" does not have subject-level compatibility configured`,
            { hint: "add ?defaultToGlobal=true to see the effective level" },
          );
        }
      }
      return effectiveConfig(subject);
    },

    async setConfig(subject, patch) {
      if (subject !== null) assertSubjectName(subject);
      await modes.assertWritable(subject);
      await store.setConfig(subject, validConfigPatch(patch));
      return effectiveConfig(subject);
    },

    async deleteConfig(subject) {
      await modes.assertWritable(subject);
      const before = await effectiveConfig(subject);
      await store.deleteConfig(subject);
      return before;
    },

    getMode: modes.getMode,
    setMode: modes.setMode,
    deleteMode: modes.deleteMode,

    async ready() {
      await store.ping();
    },
  };
  return service;
}

/** For a check against one named version, transitivity does not apply: keep only the direction. */
function pinnedLevel(level: CompatibilityLevel): CompatibilityLevel {
  return level.replace("_TRANSITIVE", "") as CompatibilityLevel;
}

function toView(v: VersionRecord): VersionView {
  return {
    subject: v.subject,
    version: v.version,
    id: v.id,
    schemaType: "JSON",
    schema: v.schema,
    fingerprint: v.fingerprint,
    state: v.state,
    deleted: v.deleted,
    createdAt: v.createdAt,
    ...(v.references.length > 0 ? { references: v.references } : {}),
  };
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // Metrics hooks must never break a registration.
  }
}
