import { createMemorySchemaStore } from "../../src/adapters/storage/memory-schema-store.js";
import { createModeUseCases } from "../../src/app/registry-modes.js";
import type {
  CheckVerdict,
  CompatibilityVerdict,
  EffectiveConfig,
  RegistryService,
  VersionView,
} from "../../src/app/registry-types.js";
import { StructregError } from "../../src/core/errors.js";
import type { JsonSchema } from "../../src/core/json.js";
import type { CompatibilityLevel, CompatibilityPolicy, Profile, VersionState } from "../../src/core/model.js";

/** Schemas holding this annotation are judged incompatible by the fake. */
export const INCOMPATIBLE_MARK = "x-fake-incompatible";

const DIFFERENCE = {
  kind: "TYPE_NARROWED",
  path: "/properties/a",
  version: 1,
  direction: "backward",
} as const;

/**
 * A small in-memory RegistryService for route tests: faithful about not-found errors, soft deletes and
 * config, crude about schemas (JSON.parse; a marker annotation makes a schema incompatible).
 */
export function createFakeRegistry(): RegistryService & { readyError?: Error } {
  const subjects = new Map<string, VersionView[]>();
  const ids = new Map<string, number>();
  const configs = new Map<string | null, Partial<EffectiveConfig>>();
  // Modes are not faked: the real use cases over a memory store (its subjects are always empty).
  const modes = createModeUseCases(createMemorySchemaStore());
  const text = (schema: string | JsonSchema) =>
    typeof schema === "string" ? schema : JSON.stringify(schema);

  function parse(schema: string | JsonSchema): JsonSchema {
    try {
      return typeof schema === "string" ? (JSON.parse(schema) as JsonSchema) : schema;
    } catch {
      throw new StructregError("SR_INVALID_SCHEMA", "Invalid schema: not JSON");
    }
  }
  function verdict(schema: JsonSchema): CompatibilityVerdict {
    const bad = typeof schema === "object" && schema[INCOMPATIBLE_MARK] === true;
    return bad
      ? { isCompatible: false, messages: ["TYPE_NARROWED at /properties/a"], differences: [DIFFERENCE] }
      : { isCompatible: true, messages: [], differences: [] };
  }
  function all(subject: string): VersionView[] {
    const found = subjects.get(subject);
    if (found === undefined || found.length === 0) {
      throw new StructregError("SR_SUBJECT_NOT_FOUND", `Subject '${subject}' not found.`);
    }
    return found;
  }
  function find(subject: string, version: number | "latest", includeDeleted = false): VersionView {
    const versions = all(subject);
    const found =
      version === "latest"
        ? versions.filter((v) => !v.deleted && v.state !== "DISABLED").at(-1)
        : versions.find((v) => v.version === version && (includeDeleted || !v.deleted));
    if (found === undefined)
      throw new StructregError("SR_VERSION_NOT_FOUND", `Version ${version} not found.`);
    return found;
  }
  function effective(subject: string | null): EffectiveConfig {
    const own = subject === null ? {} : (configs.get(subject) ?? {});
    const global = configs.get(null) ?? {};
    return {
      compatibilityLevel: own.compatibilityLevel ?? global.compatibilityLevel ?? "BACKWARD",
      policy: own.policy ?? global.policy ?? "STRICT",
      profile: own.profile ?? global.profile ?? "openai-strict",
    };
  }

  const fake: RegistryService & { readyError?: Error } = {
    async register(subject, schema) {
      const parsed = parse(schema);
      const schemaText = text(schema);
      const versions = subjects.get(subject) ?? [];
      const same = versions.find((v) => v.schema === schemaText && !v.deleted);
      if (same) return { id: same.id, version: same.version, created: false, fingerprint: same.fingerprint };
      const v = verdict(parsed);
      if (!v.isCompatible) {
        throw new StructregError("SR_INCOMPATIBLE_SCHEMA", v.messages.join("; "), {
          details: { differences: v.differences },
        });
      }
      const id = ids.get(schemaText) ?? ids.size + 1;
      ids.set(schemaText, id);
      const version = (versions.at(-1)?.version ?? 0) + 1;
      const view: VersionView = {
        subject,
        version,
        id,
        schemaType: "JSON",
        schema: schemaText,
        fingerprint: `fp${id}`,
        state: "ENABLED",
        deleted: false,
        createdAt: "2025-01-01T00:00:00.000Z",
      };
      subjects.set(subject, [...versions, view]);
      return { id, version, created: true, fingerprint: view.fingerprint };
    },
    async check(subject, schema): Promise<CheckVerdict> {
      const compatibility = verdict(parse(schema));
      const existing = subjects.get(subject)?.find((v) => v.schema === text(schema));
      return {
        registrable: compatibility.isCompatible,
        fingerprint: "fp",
        lint: [{ code: "DEFAULT_NOT_ALLOWED", path: "/default", message: "no default", severity: "warning" }],
        compatibility,
        ...(existing ? { existing: { id: existing.id, version: existing.version } } : {}),
      };
    },
    async checkCompatibility(subject, schema, version) {
      const parsed = parse(schema);
      if (!subjects.has(subject)) {
        if (typeof version === "number")
          throw new StructregError("SR_SUBJECT_NOT_FOUND", "Subject not found.");
        return { isCompatible: true, messages: [], differences: [] };
      }
      if (version !== undefined) find(subject, version);
      return verdict(parsed);
    },
    async lookup(subject, schema, options = {}) {
      parse(schema);
      const found = all(subject).find(
        (v) => v.schema === text(schema) && (options.includeDeleted || !v.deleted),
      );
      if (!found) throw new StructregError("SR_SCHEMA_NOT_FOUND", "Schema not found");
      return found;
    },
    async listSubjects(options = {}) {
      return [...subjects.entries()]
        .filter(([, versions]) => options.includeDeleted || versions.some((v) => !v.deleted))
        .map(([name]) => name);
    },
    async listVersions(subject, options = {}) {
      return all(subject)
        .filter((v) => options.includeDeleted || !v.deleted)
        .map((v) => v.version);
    },
    async getVersion(subject, version, options = {}) {
      return find(subject, version, options.includeDeleted);
    },
    async getBundledSchema(subject, version) {
      return parse(find(subject, version).schema);
    },
    async getReferencedBy(subject, version) {
      find(subject, version);
      return [];
    },
    async getProviderSchema(subject, version) {
      const parsed = parse(find(subject, version).schema);
      if (typeof parsed !== "object") return parsed;
      const { default: _dropped, ...rest } = parsed;
      return rest;
    },
    async getSchemaById(id) {
      for (const versions of subjects.values()) {
        const found = versions.find((v) => v.id === id);
        if (found) return { schema: found.schema, schemaType: "JSON", fingerprint: found.fingerprint };
      }
      throw new StructregError("SR_SCHEMA_NOT_FOUND", `Schema ${id} not found`);
    },
    async getSubjectVersionsById(id, options = {}) {
      await fake.getSchemaById(id);
      return [...subjects.values()]
        .flat()
        .filter((v) => v.id === id && (options.includeDeleted || !v.deleted))
        .map((v) => ({ subject: v.subject, version: v.version }));
    },
    async deleteVersion(subject, version, options = {}) {
      const found = find(subject, version, true);
      if (options.permanent) {
        if (!found.deleted) throw new StructregError("SR_VERSION_NOT_SOFT_DELETED", "Soft delete first.");
        subjects.set(
          subject,
          all(subject).filter((v) => v !== found),
        );
      } else {
        found.deleted = true;
      }
      return found.version;
    },
    async deleteSubject(subject, options = {}) {
      const versions = all(subject);
      if (options.permanent) subjects.delete(subject);
      else
        versions.forEach((v) => {
          v.deleted = true;
        });
      return versions.map((v) => v.version);
    },
    async setVersionState(subject, version, state: VersionState) {
      const found = find(subject, version);
      found.state = state;
      return found;
    },
    async getConfig(subject, options = {}) {
      if (subject !== null && !configs.has(subject) && options.defaultToGlobal !== true) {
        throw new StructregError("SR_SUBJECT_CONFIG_NOT_FOUND", `Subject '${subject}' has no config.`);
      }
      return effective(subject);
    },
    async setConfig(
      subject,
      patch: { compatibility?: CompatibilityLevel; policy?: CompatibilityPolicy; profile?: Profile },
    ) {
      const current = configs.get(subject) ?? {};
      configs.set(subject, {
        ...current,
        ...(patch.compatibility ? { compatibilityLevel: patch.compatibility } : {}),
        ...(patch.policy ? { policy: patch.policy } : {}),
        ...(patch.profile ? { profile: patch.profile } : {}),
      });
      return effective(subject);
    },
    async deleteConfig(subject) {
      const before = effective(subject);
      configs.delete(subject);
      return before;
    },
    getMode: modes.getMode,
    setMode: modes.setMode,
    deleteMode: modes.deleteMode,

    async ready() {
      if (fake.readyError) throw fake.readyError;
    },
  };
  return fake;
}
