import { DEFAULT_OPENAI_CONFIG, type OpenAIConfig } from "../../../src/adapters/openai/openai-config.js";
import type { ResponsesRequest } from "../../../src/app/generation-types.js";
import type { FakeOpenAI } from "../../helpers/fake-openai.js";

/** Short budgets so fault tests stay fast; the breaker is effectively off unless a test turns it on. */
export function testConfig(fake: FakeOpenAI, overrides: Partial<OpenAIConfig> = {}): OpenAIConfig {
  return {
    ...DEFAULT_OPENAI_CONFIG,
    apiKey: fake.apiKey,
    baseURL: fake.baseURL,
    budgetMs: 1500,
    attemptTimeoutMs: 1000,
    backoffBaseMs: 5,
    backoffCapMs: 20,
    breakerMinCalls: 100_000,
    breakerWindowMs: 10_000,
    breakerCooldownMs: 200,
    ...overrides,
  };
}

/** A minimal strict request; `input` marks which call an upstream request belongs to. */
export function request(input = "hello", model = "gpt-4.1-mini"): ResponsesRequest {
  return {
    model,
    input,
    text: {
      format: {
        type: "json_schema",
        name: "answer_v1",
        strict: true,
        schema: {
          type: "object",
          properties: { answer: { type: "string" } },
          required: ["answer"],
          additionalProperties: false,
        },
      },
    },
  };
}

/** Runs `fn`, returning its result or the error it threw, and how long it took. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ value?: T; error?: unknown; ms: number }> {
  const start = performance.now();
  try {
    const value = await fn();
    return { value, ms: performance.now() - start };
  } catch (error) {
    return { error, ms: performance.now() - start };
  }
}
