import type { Profile } from "../model.js";

/** Limits a provider puts on a schema (OpenAI strict mode's documented limits by default). */
export interface ProviderLimits {
  /** Object properties in the whole schema. */
  maxProperties: number;
  /** Nesting levels of object schemas. */
  maxObjectDepth: number;
  /** Characters of all property names, definition names and enum/const values together. */
  maxTotalChars: number;
  /** Enum values in the whole schema. */
  maxEnumValues: number;
  /** Characters of one string enum that has more than `largeEnumThreshold` values. */
  maxLargeEnumChars: number;
  /** Values above which a string enum counts as large. */
  largeEnumThreshold: number;
}

/** Size limits for every schema, and provider limits per profile. */
export interface SchemaLimits {
  /** Bytes (UTF-8) of the schema as JSON text. */
  maxSchemaBytes: number;
  /** JSON nesting depth of the schema document (objects and arrays). */
  maxSchemaDepth: number;
  /** Provider limits for each profile that has provider rules. */
  providers: { readonly [P in Profile]?: ProviderLimits };
}

/** Partial limits as configuration gives them; anything absent takes the default. */
export interface SchemaLimitsInput {
  maxSchemaBytes?: number;
  maxSchemaDepth?: number;
  providers?: { readonly [P in Profile]?: Partial<ProviderLimits> };
}

/** OpenAI Structured Outputs limits as documented today (at launch they were 100 / 5 / 15,000 / 500). */
export const OPENAI_STRICT_LIMITS: ProviderLimits = Object.freeze({
  maxProperties: 5000,
  maxObjectDepth: 10,
  maxTotalChars: 120_000,
  maxEnumValues: 1000,
  maxLargeEnumChars: 15_000,
  largeEnumThreshold: 250,
});

/** Default limits: 1 MiB of JSON text, 64 levels of JSON nesting, OpenAI's documented provider limits. */
export const DEFAULT_LIMITS: SchemaLimits = Object.freeze({
  maxSchemaBytes: 1024 * 1024,
  maxSchemaDepth: 64,
  providers: Object.freeze({ "openai-strict": OPENAI_STRICT_LIMITS }),
});

/** Fills absent limits with defaults (provider limits are merged field by field, per profile). */
export function resolveLimits(partial: SchemaLimitsInput = {}): SchemaLimits {
  const providers: { [P in Profile]?: ProviderLimits } = { ...DEFAULT_LIMITS.providers };
  for (const [profile, given] of Object.entries(partial.providers ?? {}) as Array<
    [Profile, Partial<ProviderLimits> | undefined]
  >) {
    if (given === undefined) continue;
    providers[profile] = { ...(providers[profile] ?? OPENAI_STRICT_LIMITS), ...definedOnly(given) };
  }
  return {
    maxSchemaBytes: partial.maxSchemaBytes ?? DEFAULT_LIMITS.maxSchemaBytes,
    maxSchemaDepth: partial.maxSchemaDepth ?? DEFAULT_LIMITS.maxSchemaDepth,
    providers,
  };
}

/** Provider limits for a profile; profiles without their own take OpenAI strict mode's. */
export function providerLimitsOf(limits: SchemaLimits, profile: Profile): ProviderLimits {
  return limits.providers[profile] ?? OPENAI_STRICT_LIMITS;
}

function definedOnly(given: Partial<ProviderLimits>): Partial<ProviderLimits> {
  // Spreading `{ maxProperties: undefined }` would erase the default: drop undefined fields first.
  return Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
}
