import { describe, expect, test } from "vitest";
import { DEFAULT_LIMITS, providerLimitsOf, resolveLimits } from "../../../src/core/schema/limits.js";

describe("resolveLimits", () => {
  test("gives the documented defaults when nothing is configured", () => {
    const limits = resolveLimits();
    expect(limits.maxSchemaBytes).toBe(1024 * 1024);
    expect(limits.maxSchemaDepth).toBe(64);
    expect(providerLimitsOf(limits, "openai-strict")).toEqual({
      maxProperties: 5000,
      maxObjectDepth: 10,
      maxTotalChars: 120_000,
      maxEnumValues: 1000,
      maxLargeEnumChars: 15_000,
      largeEnumThreshold: 250,
    });
  });

  test("overrides only the provider limits given, field by field", () => {
    const limits = resolveLimits({
      maxSchemaDepth: 8,
      providers: { "openai-strict": { maxProperties: 100, maxObjectDepth: 5 } },
    });
    expect(limits.maxSchemaDepth).toBe(8);
    expect(limits.maxSchemaBytes).toBe(DEFAULT_LIMITS.maxSchemaBytes);
    expect(providerLimitsOf(limits, "openai-strict")).toMatchObject({
      maxProperties: 100,
      maxObjectDepth: 5,
      maxEnumValues: 1000,
    });
  });

  test("ignores provider fields given as undefined", () => {
    const limits = resolveLimits({
      providers: { "openai-strict": { maxProperties: undefined as unknown as number } },
    });
    expect(providerLimitsOf(limits, "openai-strict").maxProperties).toBe(5000);
  });

  test("does not change the defaults", () => {
    resolveLimits({ providers: { "openai-strict": { maxProperties: 1 } } });
    expect(providerLimitsOf(DEFAULT_LIMITS, "openai-strict").maxProperties).toBe(5000);
  });
});
