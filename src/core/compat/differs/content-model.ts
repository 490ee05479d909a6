import { isJsonObject, type JsonObject, type JsonValue } from "../../json.js";
import type { Context } from "../context.js";
import { type SchemaDocument, type View, viewOf } from "../schema-view.js";

/** What a keyword such as additionalProperties / additionalItems / unevaluated* allows beyond the declared. */
export interface Extra {
  /** False only for `false`. */
  permits: boolean;
  /** The schema extra members must match, when the keyword is a schema object. */
  schema: JsonObject | undefined;
}

/** Reads additionalProperties-style keywords: absent or `true` permit anything, `false` nothing. */
export function extraOf(raw: JsonObject, keyword: string): Extra {
  const value: JsonValue | undefined = raw[keyword];
  return { permits: value !== false, schema: isJsonObject(value) ? value : undefined };
}

/**
 * Reads unevaluatedProperties / unevaluatedItems as Confluent does when it judges a content model: `true`,
 * `{}` and a schema with nothing but annotations all leave it open (no schema), `false` closes it, any other
 * schema makes it partially open.
 */
export function unevaluatedOf(doc: SchemaDocument, raw: JsonObject, keyword: string): Extra {
  const extra = extraOf(raw, keyword);
  const empty = extra.schema !== undefined && viewOf(doc, extra.schema)?.family === "empty";
  return empty ? { permits: true, schema: undefined } : extra;
}

/**
 * The schema an undeclared member must match in a partially open content model: the additional keyword's
 * schema, else, when that keyword is absent or `true`, the unevaluated keyword's schema (Confluent's
 * "partially open = (A = S) or (A absent and U = S)"); undefined when the model is open or closed.
 */
export function partialSchemaOf(additional: Extra, unevaluated: Extra): JsonObject | undefined {
  if (additional.schema !== undefined) return additional.schema;
  return additional.permits ? unevaluated.schema : undefined;
}

/** Open: both keywords absent, `true` or (unevaluated) empty. */
export function isOpenModel(additional: Extra, unevaluated: Extra): boolean {
  return (
    additional.permits &&
    additional.schema === undefined &&
    unevaluated.permits &&
    unevaluated.schema === undefined
  );
}

/** How an additionalX or unevaluatedX keyword changed between two schemas. */
export type ExtraChange = "ADDED" | "REMOVED" | "NARROWED" | "EXTENDED" | "SCHEMA" | undefined;

/** How an extra-members keyword changed; "SCHEMA" means both are schemas (compare them), undefined: no change. */
export function extraChange(before: Extra, after: Extra): ExtraChange {
  if (before.permits !== after.permits) return after.permits ? "ADDED" : "REMOVED";
  if (before.schema === undefined && after.schema !== undefined) return "NARROWED";
  if (before.schema !== undefined && after.schema === undefined) return "EXTENDED";
  return before.schema === undefined ? undefined : "SCHEMA";
}

/**
 * Whether a declared member is covered by the schema of a partially open content model: compared in a
 * trial context whose findings are kept (Confluent reports them along with the verdict).
 */
export function coveredBy(ctx: Context, original: View | undefined, update: View | undefined): boolean {
  const trial = ctx.sub();
  trial.compare(original, update);
  ctx.addAll(trial.diffs);
  return trial.isCompatible();
}

/**
 * Reports how an extra-members keyword (additionalProperties, unevaluatedItems, …) changed as
 * `<prefix>_<ADDED|REMOVED|NARROWED|EXTENDED>`, or compares its two schemas beneath the keyword.
 */
export function compareExtra(
  ctx: Context,
  keyword: string,
  prefix: string,
  before: Extra,
  after: Extra,
  docs: { before: SchemaDocument; after: SchemaDocument },
): void {
  const change = extraChange(before, after);
  if (change === undefined) return;
  if (change !== "SCHEMA") {
    ctx.add(`${prefix}_${change}`, keyword);
    return;
  }
  ctx.within([keyword], () =>
    ctx.compare(viewOf(docs.before, before.schema), viewOf(docs.after, after.schema)),
  );
}
