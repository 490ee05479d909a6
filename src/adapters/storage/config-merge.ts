import type { SubjectConfig } from "../../app/ports.js";

const CONFIG_FIELDS = ["compatibility", "policy", "profile"] as const;

/** Merges a config patch: fields present in `patch` replace, absent (or undefined) ones are kept. */
export function mergeConfig(current: SubjectConfig | undefined, patch: SubjectConfig): SubjectConfig {
  const merged: SubjectConfig = { ...current };
  for (const field of CONFIG_FIELDS) {
    const value = patch[field];
    // exactOptionalPropertyTypes: copy field by field so no key ends up holding `undefined`.
    if (value !== undefined) Object.assign(merged, { [field]: value });
  }
  return merged;
}
