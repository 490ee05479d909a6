import { StructregError } from "../errors.js";
import type { JsonSchema } from "../json.js";
import { PROFILES, type Profile } from "../model.js";
import { providerLimitsOf, resolveLimits, type SchemaLimitsInput } from "./limits.js";
import type { LintProblem, LintRule } from "./lint-types.js";
import { OPENAI_LIMIT_RULES } from "./openai-limit-rules.js";
import { OPENAI_STRUCTURE_RULES } from "./openai-rules.js";
import { toProviderSchema } from "./provider-form.js";
import { collectSubschemas } from "./walk.js";

/** Provider rules of each profile; `json-schema` means plain JSON Schema, with no provider rules. */
export const PROFILE_RULES: Readonly<Record<Profile, readonly LintRule[]>> = {
  "openai-strict": [...OPENAI_STRUCTURE_RULES, ...OPENAI_LIMIT_RULES],
  "json-schema": [],
};

/**
 * Lints a schema against a provider profile, judging it as sent to the provider (`toProviderSchema`:
 * annotations and `default` removed). Returns every problem in rule order; errors block registration.
 * Throws SR_INVALID_PROFILE for a profile that does not exist.
 */
export function lintSchema(schema: JsonSchema, profile: Profile, limits?: SchemaLimitsInput): LintProblem[] {
  // Callers from plain JavaScript can pass any string: refuse it with the stable code.
  const rules = Object.hasOwn(PROFILE_RULES, profile) ? PROFILE_RULES[profile] : undefined;
  if (rules === undefined) {
    throw new StructregError(
      "SR_INVALID_PROFILE",
      `Unknown profile "${String(profile)}"; use one of ${PROFILES.join(", ")}.`,
    );
  }
  if (rules.length === 0) return [];
  const root = toProviderSchema(schema);
  const context = {
    root,
    nodes: collectSubschemas(root),
    limits: providerLimitsOf(resolveLimits(limits), profile),
  };
  return rules.flatMap((rule) => rule.check(context));
}

/** True when any problem has severity "error". */
export function hasLintErrors(problems: readonly LintProblem[]): boolean {
  return problems.some((p) => p.severity === "error");
}
