/** Registry model vocabulary shared by every layer. */

export const COMPATIBILITY_LEVELS = [
  "NONE",
  "BACKWARD",
  "BACKWARD_TRANSITIVE",
  "FORWARD",
  "FORWARD_TRANSITIVE",
  "FULL",
  "FULL_TRANSITIVE",
] as const;
/** A subject's compatibility level (Confluent's names). */
export type CompatibilityLevel = (typeof COMPATIBILITY_LEVELS)[number];

export const COMPATIBILITY_POLICIES = ["STRICT", "LENIENT"] as const;
/** Which differences a level allows: Confluent's STRICT (default) or LENIENT set. */
export type CompatibilityPolicy = (typeof COMPATIBILITY_POLICIES)[number];

export const PROFILES = ["openai-strict", "json-schema"] as const;
/** Provider lint profile of a subject. `json-schema` means no provider rules. */
export type Profile = (typeof PROFILES)[number];

export const VERSION_STATES = ["ENABLED", "DEPRECATED", "DISABLED"] as const;
/** Lifecycle state of a version. DISABLED versions are skipped by `latest` and compatibility checks. */
export type VersionState = (typeof VERSION_STATES)[number];

export const DEFAULT_COMPATIBILITY: CompatibilityLevel = "BACKWARD";
export const DEFAULT_POLICY: CompatibilityPolicy = "STRICT";
export const DEFAULT_PROFILE: Profile = "openai-strict";

/** Subject names: `^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$`. */
export const SUBJECT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/;

export function isCompatibilityLevel(v: unknown): v is CompatibilityLevel {
  return typeof v === "string" && (COMPATIBILITY_LEVELS as readonly string[]).includes(v);
}
export function isCompatibilityPolicy(v: unknown): v is CompatibilityPolicy {
  return typeof v === "string" && (COMPATIBILITY_POLICIES as readonly string[]).includes(v);
}
export function isProfile(v: unknown): v is Profile {
  return typeof v === "string" && (PROFILES as readonly string[]).includes(v);
}
export function isVersionState(v: unknown): v is VersionState {
  return typeof v === "string" && (VERSION_STATES as readonly string[]).includes(v);
}

export const REGISTRY_MODES = ["READWRITE", "READONLY", "READONLY_OVERRIDE", "IMPORT"] as const;
/**
 * Confluent's registry modes: READWRITE (default), READONLY (writes refused), READONLY_OVERRIDE (READONLY
 * that, set globally, also overrides every subject's own mode) and IMPORT (explicit ids and versions).
 */
export type RegistryMode = (typeof REGISTRY_MODES)[number];
export const DEFAULT_MODE: RegistryMode = "READWRITE";

export function isRegistryMode(v: unknown): v is RegistryMode {
  return typeof v === "string" && (REGISTRY_MODES as readonly string[]).includes(v);
}
