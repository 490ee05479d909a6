import type { JsonObject } from "../../json.js";
import type { Context } from "../context.js";

/** A numeric keyword's value, or undefined when absent or not a number. */
export function numberAt(raw: JsonObject, keyword: string): number | undefined {
  const value = raw[keyword];
  return typeof value === "number" ? value : undefined;
}

/**
 * Reports how a numeric bound changed, as `<PREFIX>_ADDED/REMOVED/INCREASED/DECREASED` at `/<keyword>`
 * (e.g. MAX_LENGTH_INCREASED at /maxLength). Whether a direction is compatible is the policy's business.
 */
export function compareLimit(
  ctx: Context,
  original: JsonObject,
  update: JsonObject,
  keyword: string,
  prefix: string,
): void {
  const before = numberAt(original, keyword);
  const after = numberAt(update, keyword);
  if (before === after) return;
  if (before === undefined) ctx.add(`${prefix}_ADDED`, keyword);
  else if (after === undefined) ctx.add(`${prefix}_REMOVED`, keyword);
  else if (before < after) ctx.add(`${prefix}_INCREASED`, keyword);
  else ctx.add(`${prefix}_DECREASED`, keyword);
}
