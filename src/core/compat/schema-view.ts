/**
 * A typed reading of raw JSON Schema, shaped like the everit schema model Confluent's differ walks:
 * every schema node becomes one view of a single family (string, number, object, …), and a node that
 * mixes families (`{"type":"string","enum":[…]}`) becomes a synthetic `allOf` of one view per family,
 * while `"type": [a, b]` becomes a synthetic `anyOf`. Views are created lazily and cached per raw node,
 * so a view's identity is stable and can key cycle detection and memoisation.
 */
import { isJsonObject, type JsonObject, type JsonValue } from "../json.js";
import { canonicalKey } from "./json-equal.js";

export type Criterion = "allOf" | "anyOf" | "oneOf";
export const CRITERIA: readonly Criterion[] = ["allOf", "anyOf", "oneOf"];

/** Annotations compared on every schema (ID/TITLE/DESCRIPTION/DEFAULT_CHANGED). */
export interface Meta {
  id: JsonValue | undefined;
  title: JsonValue | undefined;
  description: JsonValue | undefined;
  default: JsonValue | undefined;
}

/** One side of a comparison: the root document (for `$ref`) and its view cache. */
export interface SchemaDocument {
  readonly root: JsonValue;
  readonly views: WeakMap<object, View>;
  readonly refs: Map<string, View>;
  readonly ids: { next: number };
}

interface ViewBase {
  readonly id: number;
  readonly doc: SchemaDocument;
  readonly meta: Meta | undefined;
}
export interface PlainView extends ViewBase {
  readonly family: "empty" | "false" | "boolean" | "null";
}
export interface KeywordView extends ViewBase {
  readonly family: "string" | "number" | "object" | "array";
  readonly raw: JsonObject;
  /** Only for numbers: `type: "integer"`. */
  readonly integer: boolean;
}
export interface EnumView extends ViewBase {
  readonly family: "enum";
  readonly values: readonly JsonValue[];
}
export interface ConstView extends ViewBase {
  readonly family: "const";
  readonly value: JsonValue;
}
export interface NotView extends ViewBase {
  readonly family: "not";
  readonly mustNotMatch: JsonValue;
}
export interface CombinedView extends ViewBase {
  readonly family: "combined";
  readonly criterion: Criterion;
  /** Built from keywords of one node rather than written as allOf/anyOf: adds no path segment. */
  readonly synthetic: boolean;
  /** Key under which duplicate subschemas collapse: their JSON, or for synthetic parts their family. */
  keyOf(index: number): string;
  subschemas(): readonly View[];
}
export interface RefView extends ViewBase {
  readonly family: "ref" | "unresolved";
  readonly ref: string;
}

/** A schema node as the differ sees it. */
export type View = PlainView | KeywordView | EnumView | ConstView | NotView | CombinedView | RefView;
/** Names of view families. */
export type Family = View["family"];

/** Keywords that imply a family when `type` is absent (everit infers the type from them). */
export const FAMILY_KEYWORDS: Readonly<Record<"string" | "number" | "object" | "array", readonly string[]>> =
  {
    string: ["minLength", "maxLength", "pattern"],
    number: ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"],
    object: [
      "properties",
      "required",
      "additionalProperties",
      "patternProperties",
      "dependencies",
      "dependentRequired",
      "dependentSchemas",
      "minProperties",
      "maxProperties",
      "propertyNames",
      "unevaluatedProperties",
    ],
    array: [
      "items",
      "prefixItems",
      "additionalItems",
      "minItems",
      "maxItems",
      "uniqueItems",
      "contains",
      "minContains",
      "maxContains",
      "unevaluatedItems",
    ],
  };
const IMPLICIT_FAMILIES = ["object", "array", "string", "number"] as const;

/** Creates the document (view cache) for one side of a comparison. */
export function createDocument(root: JsonValue, ids: { next: number }): SchemaDocument {
  return { root, views: new WeakMap(), refs: new Map(), ids };
}

/** The view of a raw schema node in `doc`; `undefined` when the node is absent. */
export function viewOf(doc: SchemaDocument, raw: JsonValue | undefined): View | undefined {
  if (raw === undefined) return undefined;
  if (!isJsonObject(raw)) return plainView(doc, raw === false ? "false" : "empty", undefined);
  const cached = doc.views.get(raw);
  if (cached) return cached;
  const view = buildView(doc, raw);
  doc.views.set(raw, view);
  return view;
}

function nextId(doc: SchemaDocument): number {
  doc.ids.next += 1;
  return doc.ids.next;
}

function plainView(doc: SchemaDocument, family: PlainView["family"], meta: Meta | undefined): PlainView {
  // Boolean schemas cannot key a WeakMap; one cached view per family and document keeps identity stable.
  const key = `#plain:${family}`;
  if (meta === undefined) {
    const cached = doc.refs.get(key);
    if (cached) return cached as PlainView;
  }
  const view: PlainView = { id: nextId(doc), doc, meta, family };
  if (meta === undefined) doc.refs.set(key, view);
  return view;
}

function metaOf(raw: JsonObject): Meta {
  return {
    id: raw.$id ?? raw.id,
    title: raw.title,
    description: raw.description,
    default: raw.default,
  };
}

type PartBuilder = { key: string; build: (meta: Meta | undefined) => View };

function buildView(doc: SchemaDocument, raw: JsonObject): View {
  const meta = metaOf(raw);
  if (typeof raw.$ref === "string") {
    // As in draft-07 (and Confluent), keywords next to $ref are not part of the comparison.
    return { id: nextId(doc), doc, meta, family: "ref", ref: raw.$ref };
  }
  const parts = partsOf(doc, raw);
  if (parts.length === 0) return plainView(doc, "empty", meta);
  if (parts.length === 1) return parts[0]!.build(meta);
  return combined(doc, meta, "allOf", parts);
}

function partsOf(doc: SchemaDocument, raw: JsonObject): PartBuilder[] {
  const parts: PartBuilder[] = [];
  const typed = typePart(doc, raw);
  if (typed) parts.push(typed);
  if (Array.isArray(raw.enum)) {
    const values = raw.enum;
    parts.push({ key: "enum", build: (meta) => ({ id: nextId(doc), doc, meta, family: "enum", values }) });
  }
  if (raw.const !== undefined) {
    const value = raw.const;
    parts.push({ key: "const", build: (meta) => ({ id: nextId(doc), doc, meta, family: "const", value }) });
  }
  if (raw.not !== undefined) {
    const mustNotMatch = raw.not;
    parts.push({
      key: "not",
      build: (meta) => ({ id: nextId(doc), doc, meta, family: "not", mustNotMatch }),
    });
  }
  for (const criterion of CRITERIA) {
    const list = raw[criterion];
    if (!Array.isArray(list)) continue;
    parts.push({ key: criterion, build: (meta) => explicitCombined(doc, meta, criterion, list) });
  }
  return parts;
}

function typePart(doc: SchemaDocument, raw: JsonObject): PartBuilder | undefined {
  const type = raw.type;
  if (typeof type === "string") return familyPart(doc, raw, type);
  if (Array.isArray(type)) {
    const members = type
      .filter((t): t is string => typeof t === "string")
      .map((t) => familyPart(doc, raw, t));
    return { key: "type", build: (meta) => combined(doc, meta, "anyOf", members) };
  }
  const implied = IMPLICIT_FAMILIES.filter((f) => FAMILY_KEYWORDS[f].some((k) => Object.hasOwn(raw, k)));
  if (implied.length === 0) return undefined;
  if (implied.length === 1) return familyPart(doc, raw, implied[0]!);
  const members = implied.map((f) => familyPart(doc, raw, f));
  return { key: "type", build: (meta) => combined(doc, meta, "anyOf", members) };
}

function familyPart(doc: SchemaDocument, raw: JsonObject, type: string): PartBuilder {
  const build = (meta: Meta | undefined): View => {
    switch (type) {
      case "string":
      case "object":
      case "array":
        return { id: nextId(doc), doc, meta, family: type, raw, integer: false };
      case "number":
      case "integer":
        return { id: nextId(doc), doc, meta, family: "number", raw, integer: type === "integer" };
      case "boolean":
      case "null":
        return { id: nextId(doc), doc, meta, family: type };
      default:
        return { id: nextId(doc), doc, meta, family: "empty" };
    }
  };
  return { key: `type:${type}`, build };
}

function combined(doc: SchemaDocument, meta: Meta | undefined, criterion: Criterion, parts: PartBuilder[]) {
  const views = parts.map((p) => p.build(undefined));
  const view: CombinedView = {
    id: nextId(doc),
    doc,
    meta,
    family: "combined",
    criterion,
    synthetic: true,
    keyOf: (index) => parts[index]?.key ?? "",
    subschemas: () => views,
  };
  return view;
}

function explicitCombined(
  doc: SchemaDocument,
  meta: Meta | undefined,
  criterion: Criterion,
  list: JsonValue[],
): CombinedView {
  let views: View[] | undefined;
  return {
    id: nextId(doc),
    doc,
    meta,
    family: "combined",
    criterion,
    synthetic: false,
    keyOf: (index) => canonicalKey(list[index]),
    // Lazy: building every subschema eagerly would walk the whole document (and loop on recursion).
    subschemas: () => {
      views ??= list.map((item) => viewOf(doc, item) ?? plainView(doc, "empty", undefined));
      return views;
    },
  };
}

/** The view standing for a `$ref` that names nothing in its document (one per document and ref). */
export function unresolvedView(doc: SchemaDocument, ref: string): View {
  const key = `#unresolved:${ref}`;
  const cached = doc.refs.get(key);
  if (cached) return cached;
  const view: RefView = { id: nextId(doc), doc, meta: undefined, family: "unresolved", ref };
  doc.refs.set(key, view);
  return view;
}
