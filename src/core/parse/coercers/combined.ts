/** anyOf / oneOf: coerce against the one branch the value can be meant for, if there is exactly one. */
import type { JsonObject } from "../../json.js";
import type { Coercer } from "../coerce.js";
import { combinedBranches, jsonTypeOf, resolveSchema, typeAccepts, typesOf } from "../schema-nav.js";

/** Picks a branch by JSON type (the OpenAI `anyOf [X, {type: null}]` idiom is the common case). */
export const combinedCoercer: Coercer = {
  family: "combined",
  applies: (schema) => combinedBranches(schema) !== undefined,
  coerce(value, schema, path, ctx, depth) {
    const branches = (combinedBranches(schema) ?? []).map((b) => ({
      raw: b,
      node: resolveSchema(b, ctx.root),
    }));
    const nonNull = branches.filter((b) => b.node === undefined || !isNullOnly(b.node));
    if (value === null && nonNull.length < branches.length) return value;
    const branch = nonNull.length === 1 ? nonNull[0] : byType(nonNull, value);
    return branch === undefined ? value : ctx.recurse(value, branch.raw, path, ctx, depth + 1);
  },
};

function isNullOnly(node: JsonObject): boolean {
  const types = typesOf(node);
  return types !== undefined && types.length === 1 && types[0] === "null";
}

function byType<T extends { node: JsonObject | undefined }>(branches: T[], value: unknown): T | undefined {
  const actual = jsonTypeOf(value);
  const matching = branches.filter((b) => {
    const types = b.node === undefined ? undefined : typesOf(b.node);
    return types !== undefined && typeAccepts(types, actual);
  });
  return matching.length === 1 ? matching[0] : undefined;
}
