/**
 * Settings of the OpenAI generation path, read from the environment with the SDK's own names
 * (`OPENAI_API_KEY`, `OPENAI_BASE_URL`) plus structreg's budgets and limits, validated once.
 */
import { StructregError } from "../../core/errors.js";
import { isJsonObject, type JsonValue, setOwn } from "../../core/json.js";

/** How a subject degrades while the breaker of its model is open, and which model it uses. */
export interface SubjectGenerationSettings {
  /** Model for this subject (else the default model). */
  model?: string;
  /** Model to call instead while the breaker of the subject's model is open. */
  fallbackModel?: string;
  /** Value answered (after validation) while the breaker is open and no fallback model answers. */
  fallbackValue?: JsonValue;
}

/** Transport and resilience settings of the Responses API client. */
export interface OpenAIConfig {
  /** `OPENAI_API_KEY`; without it generation answers SR_OPENAI_NOT_CONFIGURED. */
  apiKey: string | undefined;
  /** `OPENAI_BASE_URL` (the SDK's default when unset). */
  baseURL: string | undefined;
  model: string;
  /** Whole-request budget: queue wait, rate-limit wait, every attempt and every backoff. */
  budgetMs: number;
  /** Timeout of one upstream attempt; always below the budget. */
  attemptTimeoutMs: number;
  maxRetries: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  /** Keep-alive connections per origin in the pool. */
  maxConnections: number;
  maxInFlight: number;
  maxQueue: number;
  /** Failure ratio (0..1, exclusive) over the window that opens a breaker. */
  breakerThreshold: number;
  breakerMinCalls: number;
  breakerWindowMs: number;
  breakerCooldownMs: number;
  /** Client-side limits per minute; 0 = off. */
  requestsPerMinute: number;
  tokensPerMinute: number;
  idempotencyWindowMs: number;
  /** Availability objective the error-budget burn rate is measured against (e.g. 0.99). */
  sloTarget: number;
  /**
   * Streamed calls create background responses (`background: true, store: true`), which the Responses API
   * lets a client resume after a cut (retrieve with `stream=true&starting_after=N`). Off by default: it
   * stores the response at OpenAI for the retention period, which some teams' data rules forbid.
   */
  streamBackground: boolean;
  subjects: Record<string, SubjectGenerationSettings>;
}

/** Defaults (the issue's): 30 s budget, 25 s per attempt, 2 retries, 200 ms…2 s backoff, 20% over ≥ 100 calls in 60 s. */
export const DEFAULT_OPENAI_CONFIG: Readonly<OpenAIConfig> = {
  apiKey: undefined,
  baseURL: undefined,
  model: "gpt-4.1-mini",
  budgetMs: 30_000,
  attemptTimeoutMs: 25_000,
  maxRetries: 2,
  backoffBaseMs: 200,
  backoffCapMs: 2_000,
  maxConnections: 32,
  maxInFlight: 64,
  maxQueue: 128,
  breakerThreshold: 0.2,
  breakerMinCalls: 100,
  breakerWindowMs: 60_000,
  breakerCooldownMs: 30_000,
  requestsPerMinute: 0,
  tokensPerMinute: 0,
  idempotencyWindowMs: 10 * 60_000,
  sloTarget: 0.99,
  streamBackground: false,
  subjects: {},
};

type Env = Record<string, string | undefined>;

/** Reads and validates the OpenAI settings; throws SR_CONFIG_INVALID naming the variable at fault. */
export function readOpenAIConfig(env: Env): OpenAIConfig {
  const d = DEFAULT_OPENAI_CONFIG;
  const config: OpenAIConfig = {
    apiKey: text(env.OPENAI_API_KEY),
    baseURL: url(env, "OPENAI_BASE_URL"),
    model: text(env.STRUCTREG_OPENAI_MODEL) ?? d.model,
    budgetMs: int(env, "STRUCTREG_OPENAI_BUDGET_MS", d.budgetMs, 10, 3_600_000),
    attemptTimeoutMs: int(env, "STRUCTREG_OPENAI_ATTEMPT_TIMEOUT_MS", d.attemptTimeoutMs, 5, 3_600_000),
    maxRetries: int(env, "STRUCTREG_OPENAI_MAX_RETRIES", d.maxRetries, 0, 2),
    backoffBaseMs: int(env, "STRUCTREG_OPENAI_BACKOFF_BASE_MS", d.backoffBaseMs, 0, 60_000),
    backoffCapMs: int(env, "STRUCTREG_OPENAI_BACKOFF_CAP_MS", d.backoffCapMs, 0, 600_000),
    maxConnections: int(env, "STRUCTREG_OPENAI_MAX_CONNECTIONS", d.maxConnections, 1, 4096),
    maxInFlight: int(env, "STRUCTREG_OPENAI_MAX_INFLIGHT", d.maxInFlight, 1, 100_000),
    maxQueue: int(env, "STRUCTREG_OPENAI_MAX_QUEUE", d.maxQueue, 0, 1_000_000),
    breakerThreshold: ratio(env, "STRUCTREG_OPENAI_BREAKER_THRESHOLD", d.breakerThreshold),
    breakerMinCalls: int(env, "STRUCTREG_OPENAI_BREAKER_MIN_CALLS", d.breakerMinCalls, 1, 1_000_000),
    breakerWindowMs: int(env, "STRUCTREG_OPENAI_BREAKER_WINDOW_MS", d.breakerWindowMs, 1000, 3_600_000),
    breakerCooldownMs: int(env, "STRUCTREG_OPENAI_BREAKER_COOLDOWN_MS", d.breakerCooldownMs, 1, 3_600_000),
    requestsPerMinute: int(env, "STRUCTREG_OPENAI_RPM", d.requestsPerMinute, 0, 10_000_000),
    tokensPerMinute: int(env, "STRUCTREG_OPENAI_TPM", d.tokensPerMinute, 0, 1_000_000_000),
    idempotencyWindowMs: int(
      env,
      "STRUCTREG_OPENAI_IDEMPOTENCY_WINDOW_MS",
      d.idempotencyWindowMs,
      0,
      86_400_000,
    ),
    sloTarget: ratio(env, "STRUCTREG_OPENAI_SLO", d.sloTarget),
    streamBackground: flag(env, "STRUCTREG_OPENAI_STREAM_BACKGROUND", d.streamBackground),
    subjects: subjects(env.STRUCTREG_OPENAI_SUBJECTS),
  };
  return checkOpenAIConfig(config);
}

/** Cross-field rules: the per-attempt timeout is below the budget, the backoff cap is not below its base. */
export function checkOpenAIConfig(config: OpenAIConfig): OpenAIConfig {
  if (config.attemptTimeoutMs >= config.budgetMs) {
    throw new StructregError(
      "SR_CONFIG_INVALID",
      `STRUCTREG_OPENAI_ATTEMPT_TIMEOUT_MS (${config.attemptTimeoutMs}) must be below STRUCTREG_OPENAI_BUDGET_MS (${config.budgetMs})`,
      {
        hint: "a retry needs budget left after a timed-out attempt: lower the attempt timeout or raise the budget",
      },
    );
  }
  if (config.backoffCapMs < config.backoffBaseMs) {
    throw invalid(
      "STRUCTREG_OPENAI_BACKOFF_CAP_MS",
      String(config.backoffCapMs),
      "at least the backoff base",
    );
  }
  return config;
}

function text(raw: string | undefined): string | undefined {
  return raw === undefined || raw.trim() === "" ? undefined : raw.trim();
}

function url(env: Env, name: string): string | undefined {
  const raw = text(env[name]);
  if (raw !== undefined && !/^https?:\/\//.test(raw)) throw invalid(name, raw, "an http:// or https:// URL");
  return raw;
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env[name]);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw invalid(name, raw, `an integer from ${min} to ${max}`);
  }
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === "") return fallback;
  if (["1", "true", "yes", "on"].includes(raw)) return true;
  if (["0", "false", "no", "off"].includes(raw)) return false;
  throw invalid(name, raw, "true or false");
}

function ratio(env: Env, name: string, fallback: number): number {
  const raw = text(env[name]);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^0?\.\d+$/.test(raw) || value <= 0 || value >= 1)
    throw invalid(name, raw, "a number between 0 and 1");
  return value;
}

function subjects(raw: string | undefined): Record<string, SubjectGenerationSettings> {
  const name = "STRUCTREG_OPENAI_SUBJECTS";
  if (text(raw) === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw as string);
  } catch {
    throw invalid(name, "(not JSON)", 'a JSON object such as {"invoice": {"fallbackModel": "gpt-4.1-nano"}}');
  }
  if (!isJsonObject(parsed)) throw invalid(name, "(not an object)", "a JSON object keyed by subject");
  const out: Record<string, SubjectGenerationSettings> = {};
  for (const [subject, entry] of Object.entries(parsed))
    setOwn(out, subject, subjectSettings(subject, entry));
  return out;
}

function subjectSettings(subject: string, entry: JsonValue): SubjectGenerationSettings {
  const where = `STRUCTREG_OPENAI_SUBJECTS.${subject}`;
  if (!isJsonObject(entry))
    throw invalid(where, "(not an object)", "{model?, fallbackModel?, fallbackValue?}");
  const out: SubjectGenerationSettings = {};
  for (const [key, value] of Object.entries(entry)) {
    if (key === "fallbackValue") out.fallbackValue = value;
    else if ((key === "model" || key === "fallbackModel") && typeof value === "string" && value !== "") {
      out[key] = value;
    } else
      throw invalid(
        `${where}.${key}`,
        JSON.stringify(value),
        "model and fallbackModel (strings) or fallbackValue",
      );
  }
  return out;
}

function invalid(name: string, value: string, expected: string): StructregError {
  return new StructregError("SR_CONFIG_INVALID", `${name}=${value} is invalid: expected ${expected}`, {
    hint: `fix or unset ${name.split(".")[0]}`,
  });
}
