import { StructregError } from "../errors.js";
import type { JsonSchema } from "../json.js";
import { type CompatibilityPolicy, DEFAULT_POLICY } from "../model.js";
import type { RawDifference } from "./context.js";
import { diffSchemas } from "./diff.js";
import { toPointer } from "./json-pointer.js";
import { allowedChanges } from "./kinds.js";
import type { Difference } from "./types.js";

/** Options of `compareSchemas`. */
export interface CompareOptions {
  /** Which differences are allowed: STRICT (default) or LENIENT. */
  policy?: CompatibilityPolicy;
  /** Work limit of each direction's diff (work-budget.ts); default DEFAULT_SCHEMA_WORK_LIMIT. */
  maxWork?: number;
}

/** Both directions of a comparison: every difference found, and whether each direction is compatible. */
export interface SchemaComparison {
  /** Data written with the old schema can be read with the new one. */
  backward: boolean;
  /** Data written with the new schema can be read with the old one. */
  forward: boolean;
  differences: { backward: Difference[]; forward: Difference[] };
}

/**
 * Compares two schemas the way Confluent Schema Registry judges JSON Schema compatibility:
 * backward = diff(original = old, update = new), forward = diff(original = new, update = old).
 * Throws SR_SCHEMA_TOO_DEEP when the schemas nest too deeply to walk, SR_SCHEMA_TOO_COMPLEX when a
 * direction passes its work limit (e.g. differences repeated under exponentially many `$ref` paths).
 */
export function compareSchemas(
  oldSchema: JsonSchema,
  newSchema: JsonSchema,
  options: CompareOptions = {},
): SchemaComparison {
  const allowed = allowedChanges(options.policy ?? DEFAULT_POLICY);
  const backward = diffDirection(oldSchema, newSchema, allowed, options.maxWork);
  const forward = diffDirection(newSchema, oldSchema, allowed, options.maxWork);
  return {
    backward: backward.every((d) => allowed.has(d.kind)),
    forward: forward.every((d) => allowed.has(d.kind)),
    differences: { backward, forward },
  };
}

/** Differences reading data written with `original` through `update`, under the given allowed set. */
export function diffDirection(
  original: JsonSchema,
  update: JsonSchema,
  allowed: ReadonlySet<string>,
  maxWork?: number,
): Difference[] {
  let raw: RawDifference[];
  try {
    raw = diffSchemas(original, update, allowed, maxWork);
  } catch (err) {
    if (err instanceof RangeError) {
      throw new StructregError("SR_SCHEMA_TOO_DEEP", "Schema nests too deeply to compare.", { cause: err });
    }
    throw err;
  }
  return raw.map((d) => ({ kind: d.kind, path: toPointer(d.segments) }));
}
