import { CHANGE_IN_PROGRESS } from "../../app/rollout-types.js";
import { StructregError } from "../../core/errors.js";

/** Errors both schema stores raise, with the same codes and messages (the contract suite checks codes). */
export const STORE_ERRORS = {
  subjectNotFound: (subject: string) =>
    new StructregError("SR_SUBJECT_NOT_FOUND", `Subject '${subject}' not found.`, { details: { subject } }),
  versionNotFound: (subject: string, version: number) =>
    new StructregError("SR_VERSION_NOT_FOUND", `Version ${version} of subject '${subject}' not found.`, {
      details: { subject, version },
    }),
  versionSoftDeleted: (subject: string, version: number) =>
    new StructregError(
      "SR_VERSION_SOFT_DELETED",
      `Version ${version} of subject '${subject}' was soft deleted. Use permanent=true to delete it for good.`,
      { details: { subject, version } },
    ),
  versionNotSoftDeleted: (subject: string, version: number) =>
    new StructregError(
      "SR_VERSION_NOT_SOFT_DELETED",
      `Version ${version} of subject '${subject}' must be soft deleted before it is deleted permanently.`,
      { details: { subject, version } },
    ),
  subjectSoftDeleted: (subject: string) =>
    new StructregError(
      "SR_SUBJECT_SOFT_DELETED",
      `Subject '${subject}' was soft deleted. Use permanent=true to delete it for good.`,
      { details: { subject } },
    ),
  subjectNotSoftDeleted: (subject: string) =>
    new StructregError(
      "SR_SUBJECT_NOT_SOFT_DELETED",
      `Subject '${subject}' must be soft deleted before it is deleted permanently.`,
      { details: { subject } },
    ),
  /** A version others reference (Confluent's 42206); `referrers` are `subject@version` of the first few. */
  referenceExists: (subject: string, version: number, referrers: readonly string[]) =>
    new StructregError(
      "SR_REFERENCE_EXISTS",
      `One or more references exist to version ${version} of subject '${subject}' (from ${referrers.join(", ")}).`,
      {
        details: { subject, version, referrers },
        hint: "delete the referencing versions first (GET /subjects/{s}/versions/{v}/referencedby lists their ids)",
      },
    ),
  referenceNotFound: (subject: string, version: number) =>
    new StructregError(
      "SR_REFERENCE_NOT_FOUND",
      `A reference names version ${version} of subject '${subject}', which does not exist or was deleted.`,
      { details: { subject, version }, hint: "register the referenced schema first" },
    ),
};

/** Another process is changing the subject's rollout in LaunchDarkly right now. */
export function changeInProgress(subject: string): StructregError {
  return new StructregError(
    "SR_ROLLOUT_CONFLICT",
    `Another change of the rollout of ${subject} is being applied to LaunchDarkly`,
    { details: { subject, reason: CHANGE_IN_PROGRESS }, hint: "retry in a few seconds" },
  );
}

/** The intent was replaced by a later change after its lease ran out: this change is not committed. */
export function replacedIntent(subject: string): StructregError {
  return new StructregError(
    "SR_ROLLOUT_CONFLICT",
    `The change of the rollout of ${subject} took longer than its lease and was superseded by a later one`,
    {
      details: { subject },
      hint: "read the rollout again (structreg rollout get) and retry if still needed",
    },
  );
}

/** Which delete rule applies to a subject, from the `deleted` flags of its stored versions. */
export type SubjectLiveness = "unknown" | "deleted" | "live";

/** `unknown` when it has no versions, `deleted` when all are soft-deleted, else `live`. */
export function subjectLiveness(deletedFlags: readonly boolean[]): SubjectLiveness {
  if (deletedFlags.length === 0) return "unknown";
  return deletedFlags.every((d) => d) ? "deleted" : "live";
}
