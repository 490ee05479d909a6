/**
 * Bundling: a schema with references becomes one self-contained document. Each referenced version is
 * inlined once under the root's `$defs` (key `<subject>_v<version>`, suffixed when the root already uses
 * that key) and every `$ref` naming a reference is rewritten to point there (`money.json#/$defs/Amount` →
 * `#/$defs/money_v1/$defs/Amount`); local `$ref`s inside an inlined document are moved under its new place.
 * Every consumer of a schema (ajv, lint, the provider form OpenAI receives, compatibility, coercion) reads
 * this one form, so references work everywhere with no second code path. Pure.
 */

import { resolveLocalRef } from "../compat/json-pointer.js";
import { isJsonObject, type JsonObject, type JsonSchema } from "../json.js";
import { escapePointer } from "./keywords.js";
import {
  documentKey,
  hasNestedId,
  invalidReference,
  type LoadedDocument,
  type SchemaReference,
} from "./references.js";
import { resolveUri, withoutFragment } from "./safety.js";
import { collectSubschemas } from "./walk.js";

// Base URI of a document without `$id`, to compare a `$ref` with a reference name; never fetched.
const DOCUMENT_BASE = "https://structreg.invalid/schema.json";

/**
 * The bundled form of `root` given the documents its references reach (from `loadReferencedDocuments`).
 * Without references, `root` itself is returned. Throws SR_INVALID_REFERENCE for a `$id` below the root of a
 * document (it cannot be moved) and for a `#/…` fragment naming nothing in the referenced document.
 */
export function bundleSchema(
  root: JsonSchema,
  references: readonly SchemaReference[],
  documents: ReadonlyMap<string, LoadedDocument>,
): JsonSchema {
  if (references.length === 0 || !isJsonObject(root)) return root;
  const keys = assignKeys(root, documents);
  const bundled = rewrite(root, references, "", keys, documents) as JsonObject;
  const defs: JsonObject = isJsonObject(bundled.$defs) ? bundled.$defs : {};
  for (const [key, doc] of documents) {
    const place = keys.get(key) as string;
    const copy = rewrite(doc.schema, doc.references, `/$defs/${escapePointer(place)}`, keys, documents);
    if (isJsonObject(copy)) {
      // An inlined document is a subschema now: its own identity and dialect belong to the root.
      delete copy.$id;
      delete copy.$schema;
    }
    defs[place] = copy;
  }
  bundled.$defs = defs;
  return bundled;
}

/** `$defs` key of each document: `<subject>_v<version>`, avoiding the root's own `$defs` keys. */
function assignKeys(root: JsonObject, documents: ReadonlyMap<string, LoadedDocument>): Map<string, string> {
  const taken = new Set(isJsonObject(root.$defs) ? Object.keys(root.$defs) : []);
  const keys = new Map<string, string>();
  for (const [key, doc] of documents) {
    const base = `${doc.subject}_v${doc.version}`;
    let place = base;
    for (let n = 2; taken.has(place); n++) place = `${base}_${n}`;
    taken.add(place);
    keys.set(key, place);
  }
  return keys;
}

/** A deep copy of `schema` with its `$ref`s rewritten for its place (`prefix`) in the bundle. */
function rewrite(
  schema: JsonSchema,
  references: readonly SchemaReference[],
  prefix: string,
  keys: ReadonlyMap<string, string>,
  documents: ReadonlyMap<string, LoadedDocument>,
): JsonSchema {
  // A root with references, or any inlined document: its resources move, and a nested $id would rebase them.
  if ((references.length > 0 || prefix !== "") && hasNestedId(schema)) {
    throw invalidReference(
      "a schema with references, or one it references, declares $id below its root",
      "declare $id only at the root of a schema that takes part in references",
    );
  }
  const copy = JSON.parse(JSON.stringify(schema)) as JsonSchema;
  const base =
    isJsonObject(copy) && typeof copy.$id === "string" ? resolveUri(copy.$id, DOCUMENT_BASE) : undefined;
  const names = references.map((r) => ({ ref: r, uri: resolveUri(r.name, base ?? DOCUMENT_BASE) }));
  for (const node of collectSubschemas(copy)) {
    if (!isJsonObject(node.schema) || typeof node.schema.$ref !== "string") continue;
    const target = targetOf(node.schema.$ref, names, base ?? DOCUMENT_BASE, keys, documents);
    if (target !== undefined) node.schema.$ref = target;
    else if (prefix !== "") node.schema.$ref = moveLocal(selfRelative(node.schema.$ref, base), prefix);
  }
  return copy;
}

/** An inlined document loses its `$id`: a `$ref` naming the document by it becomes a local one. */
function selfRelative(ref: string, base: string | undefined): string {
  if (base === undefined || ref.startsWith("#")) return ref;
  const uri = resolveUri(ref, base);
  if (uri === undefined || withoutFragment(uri) !== withoutFragment(base)) return ref;
  const hash = uri.indexOf("#");
  return hash < 0 ? "#" : uri.slice(hash);
}

/** Where a `$ref` naming a reference points in the bundle; undefined for any other `$ref`. */
function targetOf(
  ref: string,
  names: ReadonlyArray<{ ref: SchemaReference; uri: string | undefined }>,
  base: string,
  keys: ReadonlyMap<string, string>,
  documents: ReadonlyMap<string, LoadedDocument>,
): string | undefined {
  const hash = ref.indexOf("#");
  const doc = hash < 0 ? ref : ref.slice(0, hash);
  const fragment = hash < 0 ? "" : ref.slice(hash + 1);
  if (doc === "") return undefined;
  const uri = resolveUri(doc, base);
  const match = names.find(
    (n) => n.ref.name === doc || (uri !== undefined && n.uri === withoutFragment(uri)),
  );
  if (match === undefined) return undefined;
  const key = documentKey(match.ref.subject, match.ref.version);
  const place = `/$defs/${escapePointer(keys.get(key) as string)}`;
  if (fragment === "" || fragment === "/") return `#${place}`;
  if (!fragment.startsWith("/")) return `#${fragment}`; // a plain-name anchor stays an anchor
  const target = documents.get(key) as LoadedDocument;
  if (resolveLocalRef(target.schema, `#${fragment}`) === undefined) {
    throw invalidReference(
      `"${ref}" names ${fragment}, which version ${match.ref.version} of subject "${match.ref.subject}" does not have`,
      "point the fragment at a definition of the referenced schema, e.g. name#/$defs/Name",
    );
  }
  return `#${place}${fragment}`;
}

/** A local `$ref` of an inlined document, moved to the document's place. */
function moveLocal(ref: string, prefix: string): string {
  if (ref === "#" || ref === "#/") return `#${prefix}`;
  if (ref.startsWith("#/")) return `#${prefix}${ref.slice(1)}`;
  return ref;
}
