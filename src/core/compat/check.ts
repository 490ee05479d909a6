import type { JsonSchema } from "../json.js";
import { type CompatibilityLevel, type CompatibilityPolicy, DEFAULT_POLICY } from "../model.js";
import { diffDirection } from "./compare.js";
import { FIXES } from "./fixes.js";
import { allowedChanges } from "./kinds.js";
import type { Difference } from "./types.js";

/** Which way data flows: backward = old data read with the new schema; forward = new data read with old. */
export type Direction = "backward" | "forward";

/** An offending difference, with the version it was found against and, when known, the fix. */
export type CompatibilityDifference = Difference & { version: number; direction: Direction; fix?: string };

/** Input of `checkCompatibility`. */
export interface CompatibilityInput {
  level: CompatibilityLevel;
  policy?: CompatibilityPolicy;
  /** The proposed schema. */
  schema: JsonSchema;
  /** Live versions, oldest first (the caller has already dropped deleted and DISABLED ones). */
  previous: ReadonlyArray<{ version: number; schema: JsonSchema }>;
  /** Work limit of each diff (work-budget.ts); past it SR_SCHEMA_TOO_COMPLEX is thrown. */
  maxWork?: number;
}

/** Verdict of a compatibility check: only offending (disallowed) differences are listed. */
export interface CompatibilityResult {
  isCompatible: boolean;
  messages: string[];
  differences: CompatibilityDifference[];
}

const DIRECTIONS: Readonly<Record<CompatibilityLevel, readonly Direction[]>> = {
  NONE: [],
  BACKWARD: ["backward"],
  BACKWARD_TRANSITIVE: ["backward"],
  FORWARD: ["forward"],
  FORWARD_TRANSITIVE: ["forward"],
  FULL: ["backward", "forward"],
  FULL_TRANSITIVE: ["backward", "forward"],
};

/**
 * Judges a proposed schema against earlier versions under a level and policy, as Confluent does:
 * NONE is always compatible; plain levels compare with the latest version only, *_TRANSITIVE with all.
 */
export function checkCompatibility(input: CompatibilityInput): CompatibilityResult {
  const directions = DIRECTIONS[input.level];
  const allowed = allowedChanges(input.policy ?? DEFAULT_POLICY);
  const against = input.level.endsWith("_TRANSITIVE") ? input.previous : input.previous.slice(-1);
  const differences: CompatibilityDifference[] = [];
  for (const { version, schema } of directions.length === 0 ? [] : against) {
    for (const direction of directions) {
      const found =
        direction === "backward"
          ? diffDirection(schema, input.schema, allowed, input.maxWork)
          : diffDirection(input.schema, schema, allowed, input.maxWork);
      for (const d of found) {
        if (allowed.has(d.kind)) continue;
        const fix = FIXES[d.kind];
        differences.push(
          fix === undefined ? { ...d, version, direction } : { ...d, version, direction, fix },
        );
      }
    }
  }
  return {
    isCompatible: differences.length === 0,
    messages: differences.map(describeDifference),
    differences,
  };
}

/** One human line per offending difference: kind, path, version, direction and the fix when known. */
export function describeDifference(d: CompatibilityDifference): string {
  const where = d.path === "" ? "the schema root" : d.path;
  const reading =
    d.direction === "backward"
      ? `data written with version ${d.version} could not be read with the new schema`
      : `data written with the new schema could not be read with version ${d.version}`;
  const fix = d.fix === undefined ? "" : `; fix: ${d.fix}`;
  return `${d.kind} at ${where} (${d.direction}, version ${d.version}: ${reading})${fix}`;
}
