import type { RolloutState } from "./model.js";

/** Weights of a LaunchDarkly percentage rollout are in thousandths of a percent and sum to this. */
export const ROLLOUT_WEIGHT_TOTAL = 100_000;

/** Index of the candidate variation; the stable one follows. This order is what keeps keys sticky. */
export const CANDIDATE_VARIATION = 0;

/** A LaunchDarkly flag as the server SDK's data model (and TestData's `usePreconfiguredFlag`) expects it. */
export interface LdFlag {
  key: string;
  version: number;
  on: boolean;
  variations: number[];
  offVariation: number;
  fallthrough: LdFallthrough;
  targets: [];
  contextTargets: [];
  rules: [];
  prerequisites: [];
  salt: string;
  trackEvents: false;
  trackEventsFallthrough: false;
  clientSide: false;
  deleted: false;
}

/** A fixed variation or a two-way percentage rollout bucketed by the context key. */
export type LdFallthrough =
  | { variation: number }
  | {
      rollout: {
        bucketBy: "key";
        contextKind: "user";
        variations: Array<{ variation: number; weight: number }>;
      };
    };

/** The flag key of a subject: prefix + subject (subject names are valid flag-key characters). */
export function flagKeyFor(prefix: string, subject: string): string {
  return `${prefix}${subject}`;
}

/**
 * The salt of a subject's flag. It depends on the subject only, never on the state: changing a salt would
 * re-bucket every key mid-rollout.
 */
export function saltFor(subject: string): string {
  return `structreg:${subject}`;
}

/** The candidate's weight for a percentage: thousandths of a percent, clamped to [0, 100000]. */
export function candidateWeight(percent: number): number {
  const weight = Math.round(percent * 1000);
  return Math.min(ROLLOUT_WEIGHT_TOTAL, Math.max(0, weight));
}

/**
 * The full flag JSON for a rollout state. Variations are always `[candidate, stable]` while a candidate
 * exists, so LaunchDarkly's bucketing (which walks variations in order) keeps every key that had the
 * candidate on it while the candidate's weight grows. Only the `ramping` stage sends keys to the candidate.
 */
export function buildFlag(state: RolloutState, keyPrefix: string): LdFlag {
  const hasCandidate = state.candidate !== null && state.candidate !== state.stable;
  const variations = hasCandidate ? [state.candidate as number, state.stable] : [state.stable];
  const stableIndex = variations.length - 1;
  const ramping = hasCandidate && state.stage === "ramping";
  const weight = ramping ? candidateWeight(state.percent) : 0;
  const fallthrough: LdFallthrough = ramping
    ? {
        rollout: {
          bucketBy: "key",
          contextKind: "user",
          variations: [
            { variation: CANDIDATE_VARIATION, weight },
            { variation: stableIndex, weight: ROLLOUT_WEIGHT_TOTAL - weight },
          ],
        },
      }
    : { variation: stableIndex };
  return {
    key: flagKeyFor(keyPrefix, state.subject),
    version: Math.max(1, state.revision),
    on: true,
    variations,
    offVariation: stableIndex,
    fallthrough,
    targets: [],
    contextTargets: [],
    rules: [],
    prerequisites: [],
    salt: saltFor(state.subject),
    trackEvents: false,
    trackEventsFallthrough: false,
    clientSide: false,
    deleted: false,
  };
}
