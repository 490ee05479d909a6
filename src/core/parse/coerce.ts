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
  /**
   * JSON Pointers of the values validation rejected and of their ancestors: only these are walked,
   * so a large output with one bad enum costs a short path, not a full copy. Undefined: walk everything.
   */
  dirty: Set<string> | undefined;
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
  if (ctx.dirty !== undefined && !ctx.dirty.has(path)) return value;
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

/** The pointers of `errorPaths` and all their ancestors (the `dirty` set of a coercion pass). */
export function dirtyPaths(errorPaths: Iterable<string>): Set<string> {
  const dirty = new Set<string>([""]);
  for (const path of errorPaths) {
    for (let i = path.indexOf("/", 1); i !== -1; i = path.indexOf("/", i + 1)) dirty.add(path.slice(0, i));
    dirty.add(path);
  }
  return dirty;
}

/** Runs one coercion pass over a whole output. */
export function coerceOutput(
  value: unknown,
  root: JsonSchema,
  options: Pick<CoerceContext, "repairs" | "fillNulls" | "maxDepth" | "cache" | "plans" | "dirty">,
): unknown {
  const ctx: CoerceContext = {
    root,
    ...options,
    // A module-level function, not a closure: this runs once per tolerant parse.
    recurse: coerceValue,
  };
  return coerceValue(value, root as JsonValue, "", ctx, 0);
}
