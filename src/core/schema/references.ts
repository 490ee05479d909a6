/**
 * Schema references as Confluent defines them for JSON Schema: a schema lists `{name, subject, version}`
 * entries and uses each `name` as a `$ref` target (`"$ref": "money.json"`, or `"money.json#/$defs/Amount"` to
 * reach into the referenced document). This module checks a reference list, gives its canonical form (part of
 * a schema's identity) and loads the referenced documents, transitively, within limits. Pure: the documents
 * come through a loader the caller passes in (the store on the server, HTTP in the client).
 */
import { StructregError } from "../errors.js";
import { isJsonObject, type JsonSchema } from "../json.js";
import { SUBJECT_NAME } from "../model.js";
import { canonicalJson } from "./canonical.js";

/** One entry of a schema's `references`: the `$ref` name it uses and the version it names. */
export interface SchemaReference {
  name: string;
  subject: string;
  /** An exact version; -1 ("latest") is accepted at registration and stored resolved. */
  version: number;
}

/** A referenced version as the loader returns it: its schema text and its own references. */
export interface StoredDocument {
  schema: string;
  references: readonly SchemaReference[];
}

/** One loaded document of a reference graph, keyed by `subject@version`. */
export interface LoadedDocument {
  subject: string;
  version: number;
  schema: JsonSchema;
  references: readonly SchemaReference[];
}

/** Bounds of one resolution: distinct documents, their total bytes of text, and the reference depth. */
export interface ReferenceLimits {
  maxDocuments: number;
  maxBytes: number;
  maxDepth: number;
}

/** Defaults: 64 documents, 1 MiB of text in all, chains of at most 16 references. */
export const DEFAULT_REFERENCE_LIMITS: ReferenceLimits = Object.freeze({
  maxDocuments: 64,
  maxBytes: 1024 * 1024,
  maxDepth: 16,
});

/** Reads a referenced version; undefined when the subject or version does not exist (or is deleted). */
export type DocumentLoader = (subject: string, version: number) => Promise<StoredDocument | undefined>;

const MAX_NAME_LENGTH = 1_000;

/** Key of a referenced version in a graph. */
export function documentKey(subject: string, version: number): string {
  return `${subject}@${version}`;
}

/**
 * Checks the shape of a reference list (what JSON Schema validation of a request cannot say): names present,
 * short and distinct, subjects valid, versions positive or -1. Throws SR_INVALID_REFERENCE.
 */
export function checkReferenceList(references: readonly SchemaReference[], limits: ReferenceLimits): void {
  if (references.length > limits.maxDocuments) {
    throw tooMany(`${references.length} references are listed`, limits);
  }
  const names = new Set<string>();
  for (const [i, ref] of references.entries()) {
    const at = `references[${i}]`;
    if (ref.name.length === 0 || ref.name.length > MAX_NAME_LENGTH) {
      throw invalidReference(`${at}.name must have 1–${MAX_NAME_LENGTH} characters`);
    }
    if (names.has(ref.name)) throw invalidReference(`${at}.name "${ref.name}" is listed twice`);
    names.add(ref.name);
    if (!SUBJECT_NAME.test(ref.subject)) {
      throw invalidReference(`${at}.subject "${ref.subject.slice(0, 300)}" is not a valid subject name`);
    }
    if (!Number.isSafeInteger(ref.version) || (ref.version < 1 && ref.version !== -1)) {
      throw invalidReference(`${at}.version must be a version number (1, 2, …) or -1 for the latest`);
    }
  }
}

/**
 * The references' part of a schema's identity: empty for none (so schemas without references keep the
 * fingerprint they always had), else their canonical JSON ordered by name (Confluent matches a lookup whose
 * references come in another order).
 */
export function canonicalReferences(references: readonly SchemaReference[]): string {
  if (references.length === 0) return "";
  const sorted = [...references]
    .map((r) => ({ name: r.name, subject: r.subject, version: r.version }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return canonicalJson(sorted);
}

/**
 * Loads every document the references reach, depth first, each `subject@version` once (a diamond loads its
 * shared document once). Throws SR_REFERENCE_NOT_FOUND for a missing version, SR_REFERENCE_CYCLE for a chain
 * that comes back to a document on its own path, SR_REFERENCES_TOO_LARGE past a limit.
 */
export async function loadReferencedDocuments(
  references: readonly SchemaReference[],
  load: DocumentLoader,
  limits: ReferenceLimits = DEFAULT_REFERENCE_LIMITS,
): Promise<Map<string, LoadedDocument>> {
  const loaded = new Map<string, LoadedDocument>();
  let bytes = 0;
  const onPath = new Set<string>();

  async function visit(ref: SchemaReference, depth: number, path: readonly string[]): Promise<void> {
    const key = documentKey(ref.subject, ref.version);
    if (onPath.has(key)) throw referenceCycle([...path, key]);
    if (loaded.has(key)) return;
    if (depth > limits.maxDepth)
      throw tooMany(`a chain of references is deeper than ${limits.maxDepth}`, limits);
    if (loaded.size >= limits.maxDocuments) {
      throw tooMany(`more than ${limits.maxDocuments} documents are referenced`, limits);
    }
    const stored = await load(ref.subject, ref.version);
    if (stored === undefined) throw referenceNotFound(ref);
    bytes += stored.schema.length;
    if (bytes > limits.maxBytes)
      throw tooMany(`referenced documents exceed ${limits.maxBytes} bytes`, limits);
    const schema = JSON.parse(stored.schema) as JsonSchema;
    loaded.set(key, { subject: ref.subject, version: ref.version, schema, references: stored.references });
    onPath.add(key);
    for (const child of stored.references) await visit(child, depth + 1, [...path, key]);
    onPath.delete(key);
  }

  for (const ref of references) await visit(ref, 1, []);
  return loaded;
}

/** True when `schema` declares `$id` anywhere below its root (bundling cannot move such a resource). */
export function hasNestedId(schema: JsonSchema, isRoot = true): boolean {
  if (!isJsonObject(schema)) return false;
  const stack: unknown[] = [schema];
  let first = isRoot;
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) stack.push(...node);
    else if (isJsonObject(node)) {
      if (!first && typeof node.$id === "string") return true;
      first = false;
      stack.push(...Object.values(node));
    }
  }
  return false;
}

/** SR_INVALID_REFERENCE with what to change. */
export function invalidReference(message: string, hint?: string): StructregError {
  return new StructregError("SR_INVALID_REFERENCE", `Invalid reference: ${message}.`, {
    hint:
      hint ?? 'send references as [{"name": "<the $ref target>", "subject": "<subject>", "version": <n>}]',
  });
}

function referenceNotFound(ref: SchemaReference): StructregError {
  return new StructregError(
    "SR_REFERENCE_NOT_FOUND",
    `Reference "${ref.name}" names version ${ref.version} of subject "${ref.subject}", which does not exist.`,
    {
      details: { reference: ref },
      hint: `register the referenced schema first, or list its versions with GET /subjects/${ref.subject}/versions`,
    },
  );
}

function referenceCycle(path: readonly string[]): StructregError {
  return new StructregError("SR_REFERENCE_CYCLE", `References form a cycle: ${path.join(" → ")}.`, {
    details: { cycle: path },
    hint: "a referenced schema must not reference, directly or through others, a schema that references it",
  });
}

function tooMany(what: string, limits: ReferenceLimits): StructregError {
  return new StructregError("SR_REFERENCES_TOO_LARGE", `Schema references are too large: ${what}.`, {
    details: { ...limits },
    hint: "reference fewer or smaller schemas, or inline small shared definitions under $defs",
  });
}
