/**
 * Schema-directed coercion: walks a value alongside its schema and applies the coercers registered in
 * COERCERS, one per keyword family. Each coercer changes a value only where the schema rejects it, so
 * every repair it records was needed. The input value is never mutated: objects and arrays are rebuilt.
 */
import type { JsonObject, JsonSchema, JsonValue } from "../json.js";
import { arrayCoercer } from "./coercers/array.js";
import { combinedCoercer } from "./coercers/combined.js";
import { enumCoercer } from "./coercers/enum.js";
import { objectCoercer } from "./coercers/object.js";
import { scalarCoercer } from "./coercers/scalar.js";
import type { Repair } from "./repairs.js";
import { resolveSchema } from "./schema-nav.js";

/** State shared by one coercion pass. */
export interface CoerceContext {
  /** The root schema, for `$ref` resolution. */
  root: JsonSchema;
  /** Repairs are appended here. */
  repairs: Repair[];
  /** False after a truncation repair: a property the cut lost must not come back as `null`. */
  fillNulls: boolean;
  maxDepth: number;
  /** Per-schema-node caches (enum lookups), kept for the parser's lifetime. */
  cache: WeakMap<object, unknown>;
  /** Per-schema-node list of the coercers that apply, kept for the parser's lifetime. */
  plans: WeakMap<object, readonly Coercer[]>;
  /** Coerces a child value (coercers recurse through this, so they need not import this module). */
  recurse: (
    value: unknown,
    schema: JsonValue | undefined,
    path: string,
    ctx: CoerceContext,
    depth: number,
  ) => unknown;
}

/** One keyword family's coercion. */
export interface Coercer {
  family: string;
  applies: (schema: JsonObject) => boolean;
  coerce: (value: unknown, schema: JsonObject, path: string, ctx: CoerceContext, depth: number) => unknown;
}

/** The coercers, in the order they run on each schema node. */
export const COERCERS: readonly Coercer[] = [
  combinedCoercer,
  arrayCoercer,
  scalarCoercer,
  enumCoercer,
  objectCoercer,
];

/** Raised when the value nests deeper than `maxDepth` along the schema; the pipeline reports `too_deep`. */
export class CoercionTooDeep {
  constructor(readonly limit: number) {}
}

/** Coerces `value` against `schema` (a node of `ctx.root`), returning the coerced value. */
export function coerceValue(
  value: unknown,
  schema: JsonValue | undefined,
  path: string,
  ctx: CoerceContext,
  depth: number,
): unknown {
  if (depth > ctx.maxDepth) throw new CoercionTooDeep(ctx.maxDepth);
  const node = resolveSchema(schema, ctx.root);
  if (node === undefined) return value;
  let plan = ctx.plans.get(node);
  if (plan === undefined) {
    plan = COERCERS.filter((c) => c.applies(node));
    ctx.plans.set(node, plan);
  }
  let out = value;
  for (const coercer of plan) out = coercer.coerce(out, node, path, ctx, depth);
  return out;
}

/** Runs one coercion pass over a whole output. */
export function coerceOutput(
  value: unknown,
  root: JsonSchema,
  options: Pick<CoerceContext, "repairs" | "fillNulls" | "maxDepth" | "cache" | "plans">,
): unknown {
  const ctx: CoerceContext = {
    root,
    ...options,
    // A module-level function, not a closure: this runs once per tolerant parse.
    recurse: coerceValue,
  };
  return coerceValue(value, root as JsonValue, "", ctx, 0);
}
