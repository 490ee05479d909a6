/**
 * Enums: an off-enum string is matched exactly, then ignoring case, surrounding spaces and
 * space/hyphen/underscore differences, then by the property's `x-aliases` ({ canonical: [alias, …] }),
 * and finally mapped to the catch-all (`x-enum-fallback`, else a member named `other` or `unknown`),
 * keeping the raw value in the repair. Without a catch-all an unknown value is left to fail.
 */
import { isJsonObject, type JsonObject, type JsonValue } from "../../json.js";
import type { CoerceContext, Coercer } from "../coerce.js";
import { addRepair, repairOf } from "../repairs.js";

interface EnumIndex {
  exact: Set<JsonValue>;
  /** Normalised spelling → member; undefined marks two members with the same spelling (never guessed). */
  loose: Map<string, string | undefined>;
  aliases: Map<string, string>;
  fallback: string | undefined;
  /** Off-enum strings already matched (null: no match), so a repeated drift skips normalisation. */
  seen: Map<string, Match | null>;
}

interface Match {
  kind: "enum_case" | "enum_alias" | "enum_fallback";
  to: string;
}

/** Bounds `seen`: models drift in a handful of ways, and hostile output must not grow it. */
const MAX_SEEN = 256;
/** Only short strings are remembered: a long one is not a drifted member, and would pin memory. */
const MAX_SEEN_LENGTH = 64;

/** `" In-Progress "` → `"in_progress"`. */
export function normalizeEnumText(s: string): string {
  return s
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, "_");
}

/** Maps an off-enum string to a member, recording how it matched. */
export const enumCoercer: Coercer = {
  family: "enum",
  applies: (schema) => Array.isArray(schema.enum) || Object.hasOwn(schema, "const"),
  coerce(value, schema, path, ctx) {
    if (typeof value !== "string") return value;
    const index = indexFor(schema, ctx);
    if (index.exact.has(value)) return value;
    let match = index.seen.get(value);
    if (match === undefined) {
      match = matchOffEnum(index, value);
      if (index.seen.size < MAX_SEEN && value.length <= MAX_SEEN_LENGTH) index.seen.set(value, match);
    }
    return match === null ? value : record(ctx, match.kind, path, value, match.to);
  },
};

function matchOffEnum(index: EnumIndex, value: string): Match | null {
  const key = normalizeEnumText(value);
  const loose = index.loose.get(key);
  if (loose !== undefined) return { kind: "enum_case", to: loose };
  const alias = index.aliases.get(key);
  if (alias !== undefined) return { kind: "enum_alias", to: alias };
  return index.fallback === undefined ? null : { kind: "enum_fallback", to: index.fallback };
}

function record(
  ctx: CoerceContext,
  kind: "enum_case" | "enum_alias" | "enum_fallback",
  path: string,
  from: string,
  to: string,
) {
  addRepair(ctx.repairs, repairOf(kind, path, from, to));
  return to;
}

function indexFor(schema: JsonObject, ctx: CoerceContext): EnumIndex {
  const cached = ctx.cache.get(schema) as EnumIndex | undefined;
  if (cached !== undefined) return cached;
  const index = buildIndex(schema);
  ctx.cache.set(schema, index);
  return index;
}

function buildIndex(schema: JsonObject): EnumIndex {
  const members: JsonValue[] = Array.isArray(schema.enum) ? schema.enum : [schema.const ?? null];
  const strings = members.filter((m): m is string => typeof m === "string");
  const loose = new Map<string, string | undefined>();
  for (const m of strings) {
    const key = normalizeEnumText(m);
    loose.set(key, loose.has(key) ? undefined : m);
  }
  const aliases = new Map<string, string>();
  const declared = schema["x-aliases"];
  if (isJsonObject(declared)) {
    for (const [canonical, list] of Object.entries(declared)) {
      if (!strings.includes(canonical) || !Array.isArray(list)) continue;
      for (const alias of list)
        if (typeof alias === "string") aliases.set(normalizeEnumText(alias), canonical);
    }
  }
  const fallback = findFallback(schema, strings);
  return { exact: new Set(members), loose, aliases, fallback, seen: new Map() };
}

function findFallback(schema: JsonObject, strings: string[]): string | undefined {
  const declared = schema["x-enum-fallback"];
  if (typeof declared === "string" && strings.includes(declared)) return declared;
  return strings.find((m) => m === "other") ?? strings.find((m) => m === "unknown");
}
