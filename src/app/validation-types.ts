import type { Issue } from "../core/parse/issues.js";
import type { ParseFailureReason } from "../core/parse/outcomes.js";
import type { Repair } from "../core/parse/repairs.js";

/**
 * Why a target version was chosen: an explicit `version` pin, the subject's latest live version (no rollout
 * configured), or a rollout decision (issue 4). `fallback` is reported by `track`, not here.
 */
export type Resolution = "pinned" | "latest" | "rollout:stable" | "rollout:candidate";

/** What validate-and-parse answers for one output: a value, never a throw. */
export type ValidationOutcome = ValidationSuccess | ValidationFailure;

/** Output accepted, by the target version or (track "fallback") by another version of the subject. */
export interface ValidationSuccess {
  ok: true;
  subject: string;
  /** The version whose shape `data` has: the target, or the matched version when it could not be upgraded. */
  version: number;
  /** The version validation aimed at, and why. */
  targetVersion: number;
  resolution: Resolution;
  track: "strict" | "tolerant" | "fallback";
  data: unknown;
  /** Every change made to the output, in order (`[]` on the strict track). */
  repairs: readonly Repair[];
  /** With track "fallback": the version the output matched. */
  matchedVersion?: number;
  /** With track "fallback": whether the value was upgraded to the target's shape (defaults filled, dropped properties removed). */
  upgraded?: boolean;
  /** The caller's context key, or a per-request random one when none was given (then `keyGenerated` is true). */
  key?: string;
  keyGenerated?: boolean;
}

/** Output rejected: a bad case, written to the quarantine (when one is configured) before this is returned. */
export interface ValidationFailure {
  ok: false;
  subject: string;
  /** The target version (issues are against it). */
  version: number;
  targetVersion: number;
  resolution: Resolution;
  /** `refusal` and `incomplete` are model outcomes, not parse errors; `invalid` is a schema failure, etc. */
  reason: ParseFailureReason;
  issues: Issue[];
  repairs: readonly Repair[];
  /** Id of the quarantined sample (absent when no quarantine is configured, e.g. the offline CLI). */
  quarantineId?: number;
  key?: string;
  keyGenerated?: boolean;
}

/** One quarantined bad case. */
export interface QuarantineRecord {
  id: number;
  subject: string;
  /** Target version the output failed. */
  version: number;
  reason: ParseFailureReason;
  issues: Issue[];
  repairs: readonly Repair[];
  /** The raw output text (for objects: their JSON), capped at the configured size. */
  raw: string;
  /** Size in bytes (UTF-8) of the full raw text before capping. */
  rawBytes: number;
  /** sha256 hex of the full raw text. */
  rawSha256: string;
  /** True when `raw` was cut at the cap (a replay of a truncated sample is never "recovered"). */
  truncated: boolean;
  key: string | null;
  status: "open" | "resolved";
  createdAt: string;
  resolvedAt: string | null;
  /** Version that accepted the sample on replay. */
  resolvedVersion: number | null;
}

/** A sample to quarantine (the store assigns id, status, createdAt). */
export type NewQuarantineEntry = Omit<
  QuarantineRecord,
  "id" | "status" | "createdAt" | "resolvedAt" | "resolvedVersion"
>;

/** Filter and page of a quarantine listing; newest first; `cursor` is the `nextCursor` of the previous page. */
export interface QuarantineQuery {
  subject?: string;
  status?: "open" | "resolved";
  reason?: ParseFailureReason;
  version?: number;
  /** ISO-8601 lower bound (inclusive) of createdAt. */
  since?: string;
  /** ISO-8601 upper bound (exclusive) of createdAt. */
  until?: string;
  cursor?: number;
  /** Page size, 1..1000. */
  limit: number;
}

/** Retention of the quarantine, per subject. */
export interface QuarantineRetention {
  /** Keep at most this many samples per subject (oldest dropped first). */
  maxPerSubject: number;
  /** Drop samples older than this. */
  maxAgeMs: number;
}

/** A version as validate-and-parse sees it. Schemas are immutable per (subject, version); `state` may change. */
export interface SourceVersion {
  version: number;
  id: number;
  fingerprint: string;
  state: import("../core/model.js").VersionState;
  schema: import("../core/json.js").JsonSchema;
}

/**
 * Where validate-and-parse reads a subject's versions: the local registry (server) or a remote registry over
 * HTTP (the in-process validating client). Implementations cache: this is on the hot path.
 */
export interface VersionSource {
  /** Undeleted versions of a subject, oldest first (all states); `[]` when the subject is unknown. */
  versions(subject: string): Promise<SourceVersion[]>;
  /**
   * The list `versions()` would answer right now, when it is already cached (with the same side effects,
   * e.g. a background refresh when stale); `undefined` when only the async call can answer.
   */
  cached?(subject: string): SourceVersion[] | undefined;
}
