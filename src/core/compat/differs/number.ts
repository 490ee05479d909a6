import type { Context } from "../context.js";
import type { KeywordView } from "../schema-view.js";
import { compareLimit, numberAt } from "./limits.js";

/** Number keywords: bounds, multipleOf, and integer ↔ number (TYPE_EXTENDED / TYPE_NARROWED). */
export function compareNumbers(ctx: Context, original: KeywordView, update: KeywordView): void {
  compareLimit(ctx, original.raw, update.raw, "maximum", "MAXIMUM");
  compareLimit(ctx, original.raw, update.raw, "minimum", "MINIMUM");
  // Only the numeric (draft-06+) forms are limits; draft-04's boolean flags are not compared, as in everit.
  compareLimit(ctx, original.raw, update.raw, "exclusiveMaximum", "EXCLUSIVE_MAXIMUM");
  compareLimit(ctx, original.raw, update.raw, "exclusiveMinimum", "EXCLUSIVE_MINIMUM");
  compareMultipleOf(ctx, numberAt(original.raw, "multipleOf"), numberAt(update.raw, "multipleOf"));
  if (original.integer !== update.integer) ctx.add(original.integer ? "TYPE_EXTENDED" : "TYPE_NARROWED");
}

function compareMultipleOf(ctx: Context, before: number | undefined, after: number | undefined): void {
  if (before === after) return;
  if (before === undefined) ctx.add("MULTIPLE_OF_ADDED", "multipleOf");
  else if (after === undefined) ctx.add("MULTIPLE_OF_REMOVED", "multipleOf");
  // A new step that is a multiple of the old one admits fewer values (expanded); a divisor admits more.
  else if (isMultiple(after, before)) ctx.add("MULTIPLE_OF_EXPANDED", "multipleOf");
  else if (isMultiple(before, after)) ctx.add("MULTIPLE_OF_REDUCED", "multipleOf");
  else ctx.add("MULTIPLE_OF_CHANGED", "multipleOf");
}

/**
 * Whether `a` is an integer multiple of `b`. Confluent truncates both to int (and divides by zero for
 * fractions); this compares the ratio with a relative tolerance so 0.5 → 0.25 is judged as well.
 */
function isMultiple(a: number, b: number): boolean {
  if (b === 0) return false;
  const ratio = a / b;
  return Math.abs(ratio - Math.round(ratio)) <= 1e-9 * Math.max(1, Math.abs(ratio));
}
