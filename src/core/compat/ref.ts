/**
 * The `$ref` family: references are followed to the schema they name before anything is compared
 * (Confluent normalises ReferenceSchema the same way), so a reference and its target never differ.
 * Only local references resolve; anything else becomes an `unresolved` view, reported as a difference.
 */
import { isJsonObject, type JsonValue } from "../json.js";
import { resolveLocalRef } from "./json-pointer.js";
import { type SchemaDocument, unresolvedView, type View, viewOf } from "./schema-view.js";

const MAX_REF_HOPS = 64;

// Resolving a pointer decodes and walks it: done once per $ref view, not once per comparison.
const resolved = new WeakMap<View, View>();

/** Follows `$ref` views to the schema they name; a missing or cyclic target gives an `unresolved` view. */
export function dereference(view: View): View {
  if (view.family !== "ref") return view;
  const known = resolved.get(view);
  if (known) return known;
  const target = follow(view);
  resolved.set(view, target);
  return target;
}

function follow(view: View): View {
  let current = view;
  for (let hops = 0; current.family === "ref"; hops++) {
    const target = hops < MAX_REF_HOPS ? resolveLocalRef(current.doc.root, current.ref) : undefined;
    if (target === undefined) return unresolvedView(current.doc, current.ref);
    current = viewOf(current.doc, target)!;
  }
  return current;
}

/** True when a property schema (after `$ref`) declares a `default`: readers can fill it in. */
export function hasDefault(raw: JsonValue | undefined, doc: SchemaDocument): boolean {
  if (isJsonObject(raw) && Object.hasOwn(raw, "default")) return true;
  const view = viewOf(doc, raw);
  if (view === undefined) return false;
  return dereference(view).meta?.default !== undefined;
}
