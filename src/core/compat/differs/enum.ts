import type { Context } from "../context.js";
import { canonicalKey, jsonEquals } from "../json-equal.js";
import type { ConstView, EnumView } from "../schema-view.js";

/** Enum values as a set: order and duplicates do not matter, values compare as JSON. */
export function compareEnums(ctx: Context, original: EnumView, update: EnumView): void {
  const before = new Set(original.values.map(canonicalKey));
  const after = new Set(update.values.map(canonicalKey));
  const extended = isSubset(before, after);
  const narrowed = isSubset(after, before);
  if (extended && narrowed) return;
  if (extended) ctx.add("ENUM_ARRAY_EXTENDED", "enum");
  else if (narrowed) ctx.add("ENUM_ARRAY_NARROWED", "enum");
  else ctx.add("ENUM_ARRAY_CHANGED", "enum");
}

/** A changed `const` is reported as ENUM_ARRAY_CHANGED (Confluent's ConstSchemaDiff). */
export function compareConsts(ctx: Context, original: ConstView, update: ConstView): void {
  if (!jsonEquals(original.value, update.value)) ctx.add("ENUM_ARRAY_CHANGED", "const");
}

function isSubset(small: ReadonlySet<string>, big: ReadonlySet<string>): boolean {
  for (const v of small) if (!big.has(v)) return false;
  return true;
}
