/**
 * The registry's side of schema references: resolving a request's reference list to exact versions, and the
 * bundled (self-contained) form of any stored version, read through the store. The bundling itself is pure
 * (core/schema/bundle.ts); this module only fetches what it needs. Bundles are cached by fingerprint: a
 * fingerprint covers the text and the exact versions referenced, and versions never change.
 */
import type { JsonSchema } from "../core/json.js";
import { bundleSchema } from "../core/schema/bundle.js";
import {
  checkReferenceList,
  DEFAULT_REFERENCE_LIMITS,
  type DocumentLoader,
  type LoadedDocument,
  loadReferencedDocuments,
  type ReferenceLimits,
  type SchemaReference,
} from "../core/schema/references.js";
import type { SchemaStore } from "./ports.js";
import { LruCache } from "./validation/lru.js";

/** A request's references resolved to exact versions, with what they reach. */
export interface ResolvedReferences {
  references: SchemaReference[];
  /** Turns the parsed document into its bundled form (for `analyzeSchema`'s `bundle`). */
  bundle: (root: JsonSchema) => JsonSchema;
}

/** What the registry needs of a stored version to bundle it. */
export interface StoredSchema {
  fingerprint: string;
  schema: string;
  references: readonly SchemaReference[];
}

/** Reference resolution over a store. */
export interface ReferenceResolver {
  /** Checks the list, resolves -1 to the latest version, loads every document reached (live versions only). */
  resolve(references: readonly SchemaReference[]): Promise<ResolvedReferences>;
  /** The bundled schema of a stored version (parsed text when it has no references), cached by fingerprint. */
  bundledOf(record: StoredSchema): Promise<JsonSchema>;
}

const BUNDLE_CACHE_SIZE = 2_000;

/** Creates the resolver; `limits` bound every resolution (documents, bytes, depth). */
export function createReferenceResolver(
  store: SchemaStore,
  limits: Partial<ReferenceLimits> = {},
): ReferenceResolver {
  const bounds: ReferenceLimits = { ...DEFAULT_REFERENCE_LIMITS, ...limits };
  const bundles = new LruCache<string, JsonSchema>(BUNDLE_CACHE_SIZE);

  // A new schema may only reference live versions; a stored one is read with whatever it references, even
  // soft-deleted (a soft-deleted referrer can still be read, and deleting its references is refused anyway).
  const liveLoader: DocumentLoader = async (subject, version) => {
    const record = await store.getVersion(subject, version);
    return record === undefined || record.deleted ? undefined : record;
  };
  const anyLoader: DocumentLoader = (subject, version) => store.getVersion(subject, version);

  async function exactVersions(references: readonly SchemaReference[]): Promise<SchemaReference[]> {
    checkReferenceList(references, bounds);
    return Promise.all(
      references.map(async (ref) => {
        if (ref.version !== -1) return { name: ref.name, subject: ref.subject, version: ref.version };
        // Confluent: -1 names the latest version at registration, and the resolved number is stored.
        const live = await store.listVersions(ref.subject);
        const latest = live.filter((v) => v.state !== "DISABLED").at(-1);
        return { name: ref.name, subject: ref.subject, version: latest?.version ?? 0 };
      }),
    );
  }

  return {
    async resolve(references) {
      const exact = await exactVersions(references);
      const documents = await loadReferencedDocuments(exact, liveLoader, bounds);
      return { references: exact, bundle: (root) => bundleSchema(root, exact, documents) };
    },

    async bundledOf(record) {
      const known = bundles.get(record.fingerprint);
      if (known !== undefined) return known;
      const root = JSON.parse(record.schema) as JsonSchema;
      let bundled = root;
      if (record.references.length > 0) {
        const documents: Map<string, LoadedDocument> = await loadReferencedDocuments(
          record.references,
          anyLoader,
          bounds,
        );
        bundled = bundleSchema(root, record.references, documents);
      }
      bundles.set(record.fingerprint, bundled);
      return bundled;
    },
  };
}
