import type { JsonObject, JsonValue } from "../../json.js";
import type { Context } from "../context.js";
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
 * Array keywords: the all-items schema, positional (tuple) items judged by the content model (open,
 * closed or partially open via additionalItems, or unevaluatedItems when additionalItems is absent, as
 * Confluent's ArraySchemaDiff judges it), additionalItems, unevaluatedItems, contains, counts.
 * Tuples are read in both dialects: draft-07 `items: [...]` + `additionalItems`, 2020-12 `prefixItems` + `items`.
 */
export function compareArrays(ctx: Context, original: KeywordView, update: KeywordView): void {
  const before = readArray(original);
  const after = readArray(update);
  ctx.within(["items"], () => ctx.compare(viewOf(before.doc, before.all), viewOf(after.doc, after.all)));
  compareTuple(ctx, before, after);
  compareExtra(ctx, before.additionalKeyword, before.additional, after.additional, before, after);
  compareExtra(ctx, "unevaluatedItems", before.unevaluated, after.unevaluated, before, after);
  ctx.within(["contains"], () =>
    ctx.compare(viewOf(before.doc, before.raw.contains), viewOf(after.doc, after.raw.contains)),
  );
  compareLimit(ctx, original.raw, update.raw, "maxItems", "MAX_ITEMS");
  compareLimit(ctx, original.raw, update.raw, "minItems", "MIN_ITEMS");
  compareLimit(ctx, original.raw, update.raw, "maxContains", "MAX_CONTAINS");
  compareLimit(ctx, original.raw, update.raw, "minContains", "MIN_CONTAINS");
  const wasUnique = original.raw.uniqueItems === true;
  const isUnique = update.raw.uniqueItems === true;
  if (wasUnique !== isUnique)
    ctx.add(wasUnique ? "UNIQUE_ITEMS_REMOVED" : "UNIQUE_ITEMS_ADDED", "uniqueItems");
}

interface ArrayModel {
  doc: SchemaDocument;
  raw: JsonObject;
  /** Schema every item must match (items as a single schema). */
  all: JsonValue | undefined;
  tupleKeyword: string;
  tuple: readonly JsonValue[];
  additionalKeyword: string;
  additional: Extra;
  unevaluated: Extra;
}

function readArray(view: KeywordView): ArrayModel {
  const raw = view.raw;
  const base = { doc: view.doc, raw, unevaluated: unevaluatedOf(view.doc, raw, "unevaluatedItems") };
  if (Array.isArray(raw.prefixItems)) {
    // 2020-12: `items` next to prefixItems is what draft-07 called additionalItems.
    return {
      ...base,
      all: undefined,
      tupleKeyword: "prefixItems",
      tuple: raw.prefixItems,
      additionalKeyword: "items",
      additional: extraOf(raw, "items"),
    };
  }
  const tuple = Array.isArray(raw.items) ? raw.items : [];
  return {
    ...base,
    all: Array.isArray(raw.items) ? undefined : raw.items,
    tupleKeyword: "items",
    tuple,
    additionalKeyword: "additionalItems",
    additional: extraOf(raw, "additionalItems"),
  };
}

function isOpen(model: ArrayModel): boolean {
  return isOpenModel(model.additional, model.unevaluated);
}

function partialSchema(model: ArrayModel): JsonObject | undefined {
  return partialSchemaOf(model.additional, model.unevaluated);
}

function compareTuple(ctx: Context, before: ArrayModel, after: ArrayModel): void {
  const shared = Math.min(before.tuple.length, after.tuple.length);
  for (let i = 0; i < Math.max(before.tuple.length, after.tuple.length); i++) {
    ctx.within([i < before.tuple.length ? before.tupleKeyword : after.tupleKeyword, String(i)], () => {
      if (i < shared) ctx.compare(viewOf(before.doc, before.tuple[i]), viewOf(after.doc, after.tuple[i]));
      else if (i < before.tuple.length) ctx.add(itemRemoved(ctx, before, after, before.tuple[i]));
      else ctx.add(itemAdded(ctx, before, after, after.tuple[i]));
    });
  }
}

function itemRemoved(
  ctx: Context,
  before: ArrayModel,
  after: ArrayModel,
  item: JsonValue | undefined,
): string {
  if (isOpen(after)) return "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL";
  const partial = partialSchema(after);
  if (partial !== undefined) {
    const covered = coveredBy(ctx, viewOf(before.doc, item), viewOf(after.doc, partial));
    return covered
      ? "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
      : "ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL";
  }
  return item === false
    ? "ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL"
    : "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL";
}

function itemAdded(ctx: Context, before: ArrayModel, after: ArrayModel, item: JsonValue | undefined): string {
  if (isOpen(before)) {
    const empty = viewOf(after.doc, item)?.family === "empty";
    return empty ? "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL" : "ITEM_ADDED_TO_OPEN_CONTENT_MODEL";
  }
  const partial = partialSchema(before);
  if (partial !== undefined) {
    const covered = coveredBy(ctx, viewOf(before.doc, partial), viewOf(after.doc, item));
    return covered
      ? "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
      : "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL";
  }
  return "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL";
}

/** The shared extra-members comparison, with this family's difference prefix. */
function compareExtra(
  ctx: Context,
  keyword: string,
  before: Extra,
  after: Extra,
  beforeModel: ArrayModel,
  afterModel: ArrayModel,
): void {
  const prefix = keyword === "unevaluatedItems" ? "UNEVALUATED_ITEMS" : "ADDITIONAL_ITEMS";
  compareExtraMembers(ctx, keyword, prefix, before, after, {
    before: beforeModel.doc,
    after: afterModel.doc,
  });
}
