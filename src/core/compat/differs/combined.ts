import type { Context, RawDifference } from "../context.js";
import type { CombinedView, View } from "../schema-view.js";
import { type Edge, maximumMatching } from "./matching.js";

/**
 * allOf / anyOf / oneOf: the criterion change, the change in the number of distinct subschemas, then a
 * maximum matching of original to update subschemas over compatible pairs. If the matching cannot
 * cover the smaller side, COMBINED_TYPE_SUBSCHEMAS_CHANGED makes the result incompatible.
 */
export function compareCombined(ctx: Context, original: CombinedView, update: CombinedView): void {
  if (compareCriteria(ctx, original, update) === "COMBINED_TYPE_CHANGED") return;
  const before = distinct(original);
  const after = distinct(update);
  if (before.length < after.length) {
    ctx.add(update.criterion === "allOf" ? "PRODUCT_TYPE_EXTENDED" : "SUM_TYPE_EXTENDED");
  } else if (before.length > after.length) {
    ctx.add(original.criterion === "allOf" ? "PRODUCT_TYPE_NARROWED" : "SUM_TYPE_NARROWED");
  }
  const edges: Edge<readonly RawDifference[]>[] = [];
  before.forEach(({ view, index }, i) => {
    // Synthetic combinations have no allOf/anyOf keyword to point at: their parts share the node's path.
    const segments = original.synthetic ? [] : [original.criterion, String(index)];
    ctx.within(segments, () => {
      const candidates: Edge<readonly RawDifference[]>[] = [];
      after.forEach((target, j) => {
        const trial = ctx.sub();
        trial.compare(view, target.view);
        if (trial.isCompatible()) candidates.push({ from: i, to: j, value: trial.diffs });
      });
      candidates.sort((a, b) => a.value.length - b.value.length);
      edges.push(...candidates);
    });
  });
  const matching = maximumMatching(edges, before.length, after.length);
  for (const edge of matching) ctx.addAll(edge.value);
  if (matching.length < Math.min(before.length, after.length)) ctx.add("COMBINED_TYPE_SUBSCHEMAS_CHANGED");
}

function compareCriteria(ctx: Context, original: CombinedView, update: CombinedView): string | undefined {
  const from = original.criterion;
  const to = update.criterion;
  if (from === to) return undefined;
  const single = (v: CombinedView) => v.subschemas().length === 1;
  const extended =
    to === "anyOf" ||
    (single(original) && single(update)) ||
    (single(original) && to === "oneOf") ||
    (single(update) && from === "allOf");
  const kind = extended ? "COMBINED_TYPE_EXTENDED" : "COMBINED_TYPE_CHANGED";
  ctx.add(kind);
  return kind;
}

/** Subschemas with duplicates collapsed (Confluent keeps them in a set), each with its first index. */
function distinct(view: CombinedView): Array<{ view: View; index: number }> {
  const seen = new Set<string>();
  const out: Array<{ view: View; index: number }> = [];
  view.subschemas().forEach((sub, index) => {
    const key = view.keyOf(index);
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ view: sub, index });
  });
  return out;
}
