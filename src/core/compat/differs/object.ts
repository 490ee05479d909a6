import { isJsonObject, type JsonObject, type JsonValue } from "../../json.js";
import { compileLinearPattern, type LinearRegExp } from "../../validate/linear-regexp.js";
import type { Context } from "../context.js";
import { hasDefault } from "../ref.js";
import { type KeywordView, type SchemaDocument, viewOf } from "../schema-view.js";
import {
  compareExtra as compareExtraMembers,
  coveredBy,
  type Extra,
  extraOf,
  isOpenModel,
  partialSchemaOf,
  unevaluatedOf,
} from "./content-model.js";
import { compareLimit } from "./limits.js";

/**
 * Object keywords, in Confluent's order: required, properties (judged by the content model: open,
 * closed or partially open), dependencies, additionalProperties, unevaluatedProperties, then counts.
 */
export function compareObjects(ctx: Context, original: KeywordView, update: KeywordView): void {
  const before = readObject(original);
  const after = readObject(update);
  compareRequired(ctx, before, after);
  compareProperties(ctx, before, after);
  compareDependencies(ctx, before, after);
  compareExtra(ctx, "additionalProperties", before.additional, after.additional, before, after);
  compareExtra(ctx, "unevaluatedProperties", before.unevaluated, after.unevaluated, before, after);
  compareLimit(ctx, original.raw, update.raw, "maxProperties", "MAX_PROPERTIES");
  compareLimit(ctx, original.raw, update.raw, "minProperties", "MIN_PROPERTIES");
}

interface ObjectModel {
  doc: SchemaDocument;
  raw: JsonObject;
  properties: JsonObject;
  required: ReadonlySet<string>;
  additional: Extra;
  unevaluated: Extra;
  patterns: Array<{ regex: LinearRegExp | undefined; schema: JsonValue }>;
}

function readObject(view: KeywordView): ObjectModel {
  const raw = view.raw;
  const properties = isJsonObject(raw.properties) ? raw.properties : {};
  const required = new Set(
    Array.isArray(raw.required) ? raw.required.filter((r) => typeof r === "string") : [],
  );
  const patternProperties = isJsonObject(raw.patternProperties) ? raw.patternProperties : {};
  const patterns = Object.entries(patternProperties).map(([source, schema]) => ({
    regex: toRegex(source),
    schema,
  }));
  return {
    doc: view.doc,
    raw,
    properties,
    required,
    additional: extraOf(raw, "additionalProperties"),
    unevaluated: unevaluatedOf(view.doc, raw, "unevaluatedProperties"),
    patterns,
  };
}

/**
 * Property names are matched on RE2 (linear time): a caller's patternProperties key meets stored property
 * names here. A pattern RE2 cannot run matches nothing (such schemas are refused before they get here).
 */
function toRegex(source: string): LinearRegExp | undefined {
  const compiled = compileLinearPattern(source);
  return compiled.ok ? compiled.regexp : undefined;
}

function propertyKeys(model: ObjectModel): string[] {
  // Property names are data, not keywords: an "x-…" property is a real property here.
  return Object.keys(model.properties);
}

/** Open: anything undeclared is accepted (no patternProperties, additional/unevaluated absent or true). */
function isOpen(model: ObjectModel): boolean {
  return model.patterns.length === 0 && isOpenModel(model.additional, model.unevaluated);
}

/** The schema an undeclared property `key` must match in a partially open model, if any. */
function partialSchemaFor(model: ObjectModel, key: string): JsonValue | undefined {
  for (const { regex, schema } of model.patterns) if (regex?.test(key)) return schema;
  return partialSchemaOf(model.additional, model.unevaluated);
}

function compareRequired(ctx: Context, before: ObjectModel, after: ObjectModel): void {
  for (const key of propertyKeys(before)) {
    if (!Object.hasOwn(after.properties, key)) continue;
    const wasRequired = before.required.has(key);
    const isRequired = after.required.has(key);
    if (wasRequired && !isRequired) ctx.add("REQUIRED_ATTRIBUTE_REMOVED", "required", key);
    else if (!wasRequired && isRequired) {
      const withDefault = hasDefault(after.properties[key], after.doc);
      ctx.add(
        withDefault ? "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED" : "REQUIRED_ATTRIBUTE_ADDED",
        "required",
        key,
      );
    }
  }
}

function compareProperties(ctx: Context, before: ObjectModel, after: ObjectModel): void {
  const keys = new Set([...propertyKeys(before), ...propertyKeys(after)]);
  for (const key of keys) {
    ctx.within(["properties", key], () => {
      const inBefore = Object.hasOwn(before.properties, key);
      const inAfter = Object.hasOwn(after.properties, key);
      if (inBefore && inAfter) {
        ctx.compare(viewOf(before.doc, before.properties[key]), viewOf(after.doc, after.properties[key]));
      } else if (inBefore) {
        ctx.add(propertyRemoved(ctx, before, after, key));
      } else {
        ctx.add(propertyAdded(ctx, before, after, key));
      }
    });
  }
}

function propertyRemoved(ctx: Context, before: ObjectModel, after: ObjectModel, key: string): string {
  // Only the update's content model matters: a removed property is fine if the update still accepts it.
  if (isOpen(after)) return "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL";
  const partial = partialSchemaFor(after, key);
  if (partial !== undefined) {
    const covered = coveredBy(ctx, viewOf(before.doc, before.properties[key]), viewOf(after.doc, partial));
    return covered
      ? "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
      : "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL";
  }
  return before.properties[key] === false
    ? "PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL"
    : "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL";
}

function propertyAdded(ctx: Context, before: ObjectModel, after: ObjectModel, key: string): string {
  const schema = after.properties[key];
  const required = after.required.has(key);
  const withDefault = required && hasDefault(schema, after.doc);
  // Only the original's content model matters: data written under it may already hold this key.
  if (isOpen(before)) {
    if (viewOf(after.doc, schema)?.family === "empty") {
      return "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL";
    }
    if (!required) return "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL";
    return withDefault
      ? "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL"
      : "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL";
  }
  const partial = partialSchemaFor(before, key);
  if (partial !== undefined) {
    const covered = coveredBy(ctx, viewOf(before.doc, partial), viewOf(after.doc, schema));
    ctx.add(
      covered
        ? "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
        : "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
    );
  }
  if (!required) return "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL";
  return withDefault
    ? "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL"
    : "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL";
}

function compareDependencies(ctx: Context, before: ObjectModel, after: ObjectModel): void {
  // draft-07 `dependencies` mixes both forms; 2019-09+ splits them into dependentRequired / dependentSchemas.
  for (const keyword of ["dependencies", "dependentRequired", "dependentSchemas"]) {
    const b = isJsonObject(before.raw[keyword]) ? (before.raw[keyword] as JsonObject) : {};
    const a = isJsonObject(after.raw[keyword]) ? (after.raw[keyword] as JsonObject) : {};
    compareDependencyArrays(ctx, keyword, pick(b, Array.isArray), pick(a, Array.isArray));
    compareDependencySchemas(ctx, keyword, pick(b, notArray), pick(a, notArray), before.doc, after.doc);
  }
}

const notArray = (v: JsonValue) => !Array.isArray(v);

function pick(obj: JsonObject, keep: (v: JsonValue) => boolean): Map<string, JsonValue> {
  const out = new Map<string, JsonValue>();
  for (const [k, v] of Object.entries(obj)) if (keep(v)) out.set(k, v);
  return out;
}

function compareDependencyArrays(
  ctx: Context,
  keyword: string,
  before: Map<string, JsonValue>,
  after: Map<string, JsonValue>,
): void {
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const b = before.get(key);
    const a = after.get(key);
    if (a === undefined) ctx.add("DEPENDENCY_ARRAY_REMOVED", keyword, key);
    else if (b === undefined) ctx.add("DEPENDENCY_ARRAY_ADDED", keyword, key);
    else {
      const bs = new Set(b as JsonValue[]);
      const as = new Set(a as JsonValue[]);
      const extended = [...bs].every((v) => as.has(v));
      const narrowed = [...as].every((v) => bs.has(v));
      if (extended && narrowed) continue;
      const kind = extended
        ? "DEPENDENCY_ARRAY_EXTENDED"
        : narrowed
          ? "DEPENDENCY_ARRAY_NARROWED"
          : "DEPENDENCY_ARRAY_CHANGED";
      ctx.add(kind, keyword, key);
    }
  }
}

function compareDependencySchemas(
  ctx: Context,
  keyword: string,
  before: Map<string, JsonValue>,
  after: Map<string, JsonValue>,
  beforeDoc: SchemaDocument,
  afterDoc: SchemaDocument,
): void {
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const b = before.get(key);
    const a = after.get(key);
    if (a === undefined) ctx.add("DEPENDENCY_SCHEMA_REMOVED", keyword, key);
    else if (b === undefined) ctx.add("DEPENDENCY_SCHEMA_ADDED", keyword, key);
    else ctx.within([keyword, key], () => ctx.compare(viewOf(beforeDoc, b), viewOf(afterDoc, a)));
  }
}

/** The shared extra-members comparison, with this family's difference prefix. */
function compareExtra(
  ctx: Context,
  keyword: string,
  before: Extra,
  after: Extra,
  beforeModel: ObjectModel,
  afterModel: ObjectModel,
): void {
  const prefix = keyword === "additionalProperties" ? "ADDITIONAL_PROPERTIES" : "UNEVALUATED_PROPERTIES";
  compareExtraMembers(ctx, keyword, prefix, before, after, {
    before: beforeModel.doc,
    after: afterModel.doc,
  });
}
