import { describe, expect, test } from "vitest";
import { DEFAULT_OPENAI_CONFIG, readOpenAIConfig } from "../../../src/adapters/openai/openai-config.js";

describe("readOpenAIConfig", () => {
  test("defaults to the issue's budgets and no key", () => {
    expect(readOpenAIConfig({})).toEqual(DEFAULT_OPENAI_CONFIG);
    expect(DEFAULT_OPENAI_CONFIG).toMatchObject({
      budgetMs: 30_000,
      attemptTimeoutMs: 25_000,
      maxRetries: 2,
    });
  });

  test("streamed calls are background responses only when asked (they are stored at OpenAI)", () => {
    expect(readOpenAIConfig({}).streamBackground).toBe(false);
    expect(readOpenAIConfig({ STRUCTREG_OPENAI_STREAM_BACKGROUND: "true" }).streamBackground).toBe(true);
    expect(readOpenAIConfig({ STRUCTREG_OPENAI_STREAM_BACKGROUND: "off" }).streamBackground).toBe(false);
  });

  test("reads the SDK's own variable names", () => {
    const config = readOpenAIConfig({ OPENAI_API_KEY: "sk-1", OPENAI_BASE_URL: "http://127.0.0.1:9/v1" });
    expect(config).toMatchObject({ apiKey: "sk-1", baseURL: "http://127.0.0.1:9/v1" });
  });

  test.each([
    [{ STRUCTREG_OPENAI_ATTEMPT_TIMEOUT_MS: "30000" }, /must be below/],
    [{ STRUCTREG_OPENAI_BUDGET_MS: "1000" }, /must be below/],
    [{ STRUCTREG_OPENAI_MAX_RETRIES: "3" }, /MAX_RETRIES=3/],
    [{ STRUCTREG_OPENAI_BREAKER_THRESHOLD: "1.5" }, /between 0 and 1/],
    [{ STRUCTREG_OPENAI_BACKOFF_BASE_MS: "5000" }, /BACKOFF_CAP_MS/],
    [{ OPENAI_BASE_URL: "ftp://x" }, /OPENAI_BASE_URL/],
    [{ STRUCTREG_OPENAI_SUBJECTS: "{" }, /not JSON/],
    [{ STRUCTREG_OPENAI_SUBJECTS: '{"a": {"fallbackModle": "x"}}' }, /fallbackModle/],
    [{ STRUCTREG_OPENAI_STREAM_BACKGROUND: "maybe" }, /STREAM_BACKGROUND=maybe/],
  ])("refuses %j", (env, message) => {
    expect(() => readOpenAIConfig(env)).toThrow(message);
  });

  test("reads per-subject models and fallbacks, including a __proto__ subject as data", () => {
    const config = readOpenAIConfig({
      STRUCTREG_OPENAI_SUBJECTS:
        '{"invoice": {"model": "a", "fallbackModel": "b", "fallbackValue": {"total": 0}}, "__proto__": {"model": "c"}}',
    });
    expect(config.subjects.invoice).toEqual({ model: "a", fallbackModel: "b", fallbackValue: { total: 0 } });
    expect(Object.getOwnPropertyDescriptor(config.subjects, "__proto__")?.value).toEqual({ model: "c" });
    expect(Object.getPrototypeOf(config.subjects)).toBe(Object.prototype);
  });
});
