import type { Context } from "./context.js";
import { compareArrays } from "./differs/array.js";
import { compareCombined } from "./differs/combined.js";
import { compareConsts, compareEnums } from "./differs/enum.js";
import { compareNots } from "./differs/not.js";
import { compareNumbers } from "./differs/number.js";
import { compareObjects } from "./differs/object.js";
import { compareStrings } from "./differs/string.js";
import type { Family, KeywordView, View } from "./schema-view.js";

// KeywordView covers four families at once, so Extract alone would miss it.
type ViewOf<F extends Family> =
  | Extract<View, { family: F }>
  | (F extends KeywordView["family"] ? KeywordView : never);
/** Compares two views of the same family. */
export type Differ<F extends Family> = (ctx: Context, original: ViewOf<F>, update: ViewOf<F>) => void;

/**
 * One differ per keyword family. Families without keywords of their own (empty, false, boolean, null)
 * have none: only their annotations are compared. `$ref` is resolved before a family is chosen.
 */
export const DIFFERS: { readonly [F in Family]?: Differ<F> } = {
  string: compareStrings,
  number: compareNumbers,
  object: compareObjects,
  array: compareArrays,
  enum: compareEnums,
  const: compareConsts,
  combined: compareCombined,
  not: compareNots,
};

/** Runs the differ registered for the (shared) family of both views. */
export function runDiffer(ctx: Context, original: View, update: View): void {
  const differ = DIFFERS[original.family] as Differ<Family> | undefined;
  differ?.(ctx, original, update);
}
