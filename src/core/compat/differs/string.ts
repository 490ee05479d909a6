import type { Context } from "../context.js";
import type { KeywordView } from "../schema-view.js";
import { compareLimit } from "./limits.js";

/** String keywords: maxLength, minLength and pattern (compared as text, like Confluent). */
export function compareStrings(ctx: Context, original: KeywordView, update: KeywordView): void {
  compareLimit(ctx, original.raw, update.raw, "maxLength", "MAX_LENGTH");
  compareLimit(ctx, original.raw, update.raw, "minLength", "MIN_LENGTH");
  const before = typeof original.raw.pattern === "string" ? original.raw.pattern : undefined;
  const after = typeof update.raw.pattern === "string" ? update.raw.pattern : undefined;
  if (before === after) return;
  if (before === undefined) ctx.add("PATTERN_ADDED", "pattern");
  else if (after === undefined) ctx.add("PATTERN_REMOVED", "pattern");
  // Any textual edit counts: deciding whether one regex accepts a superset of another is undecidable in general.
  else ctx.add("PATTERN_CHANGED", "pattern");
}
