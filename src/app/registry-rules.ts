/** The registry's rules on its inputs and the typed errors it answers with. */
import { StructregError } from "../core/errors.js";
import type { CompatibilityLevel } from "../core/model.js";
import { isCompatibilityLevel, isCompatibilityPolicy, isProfile, SUBJECT_NAME } from "../core/model.js";
import type { SubjectConfig } from "./ports.js";
import type { CompatibilityVerdict } from "./registry-types.js";

/** Throws SR_INVALID_SUBJECT_NAME unless the name matches the subject-name rule. */
export function assertSubjectName(subject: string): void {
  if (!SUBJECT_NAME.test(subject)) throw invalidSubjectName(subject);
}

/** The SR_INVALID_SUBJECT_NAME error for a name (also answered for a route's subject path parameter). */
export function invalidSubjectName(subject: string): StructregError {
  return new StructregError("SR_INVALID_SUBJECT_NAME", `Invalid subject name "${subject.slice(0, 300)}"`, {
    hint: "use 1–255 characters: letters, digits, '.', '_' or '-', starting with a letter or digit",
  });
}

/** Checks a config patch field by field; throws the typed error for the first bad value. */
export function validConfigPatch(patch: Record<string, unknown>): SubjectConfig {
  const out: SubjectConfig = {};
  if (patch.compatibility !== undefined) {
    if (!isCompatibilityLevel(patch.compatibility)) {
      throw new StructregError(
        "SR_INVALID_COMPATIBILITY_LEVEL",
        `Invalid compatibility level "${String(patch.compatibility)}"`,
        {
          hint: "use NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL or FULL_TRANSITIVE",
        },
      );
    }
    out.compatibility = patch.compatibility;
  }
  if (patch.policy !== undefined) {
    if (!isCompatibilityPolicy(patch.policy)) {
      throw new StructregError("SR_INVALID_POLICY", `Invalid policy "${String(patch.policy)}"`, {
        hint: "use STRICT or LENIENT",
      });
    }
    out.policy = patch.policy;
  }
  if (patch.profile !== undefined) {
    if (!isProfile(patch.profile)) {
      throw new StructregError("SR_INVALID_PROFILE", `Invalid profile "${String(patch.profile)}"`, {
        hint: "use openai-strict or json-schema",
      });
    }
    out.profile = patch.profile;
  }
  return out;
}

/** SR_SUBJECT_NOT_FOUND with the way to list subjects. */
export function notFoundSubject(subject: string): StructregError {
  return new StructregError("SR_SUBJECT_NOT_FOUND", `Subject '${subject}' not found.`, {
    hint: "list subjects with GET /subjects (or `structreg subjects`)",
  });
}

/** SR_VERSION_NOT_FOUND with the way to list versions. */
export function notFoundVersion(subject: string, version: number | "latest"): StructregError {
  return new StructregError(
    "SR_VERSION_NOT_FOUND",
    `Version ${version} not found under subject '${subject}'.`,
    {
      hint: `list versions with GET /subjects/${subject}/versions`,
    },
  );
}

/** Confluent's wording of an incompatible registration, with every offending difference. */
export function incompatibleMessage(subject: string, verdict: CompatibilityVerdict): string {
  return `Schema being registered is incompatible with an earlier schema for subject "${subject}": ${verdict.messages.join("; ")}`;
}

/** SR_INCOMPATIBLE_SCHEMA with the differences in `details` and the fixes as the hint. */
export function incompatible(
  subject: string,
  level: CompatibilityLevel,
  verdict: CompatibilityVerdict,
): StructregError {
  const fixes = [...new Set(verdict.differences.flatMap((d) => (d.fix ? [d.fix] : [])))];
  return new StructregError("SR_INCOMPATIBLE_SCHEMA", incompatibleMessage(subject, verdict), {
    details: { level, differences: verdict.differences, messages: verdict.messages },
    hint: fixes.length > 0 ? fixes.join("; ") : `or change the subject's level (now ${level})`,
  });
}
