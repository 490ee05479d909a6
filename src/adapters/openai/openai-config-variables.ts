/** The environment variables of the OpenAI generation path, as the README's configuration table lists them. */

/** Rows of the configuration table for these settings (README documents every one). */
export const OPENAI_CONFIG_VARIABLES = [
  {
    name: "OPENAI_API_KEY",
    default: "(unset)",
    description: "OpenAI key; without it generate answers SR_OPENAI_NOT_CONFIGURED.",
  },
  {
    name: "OPENAI_BASE_URL",
    default: "https://api.openai.com/v1",
    description: "OpenAI API base URL (the SDK's variable).",
  },
  {
    name: "STRUCTREG_OPENAI_MODEL",
    default: "gpt-4.1-mini",
    description: "Default model of generate and batch prepare.",
  },
  {
    name: "STRUCTREG_OPENAI_BUDGET_MS",
    default: "30000",
    description: "Whole-request budget of a generate call (queue, rate-limit wait, attempts, backoff).",
  },
  {
    name: "STRUCTREG_OPENAI_ATTEMPT_TIMEOUT_MS",
    default: "25000",
    description: "Timeout of one upstream attempt; must be below the budget.",
  },
  {
    name: "STRUCTREG_OPENAI_MAX_RETRIES",
    default: "2",
    description: "Retries of 429/500/502/503/504/network errors (0–2).",
  },
  {
    name: "STRUCTREG_OPENAI_BACKOFF_BASE_MS",
    default: "200",
    description: "Base of the exponential backoff (full jitter).",
  },
  {
    name: "STRUCTREG_OPENAI_BACKOFF_CAP_MS",
    default: "2000",
    description: "Largest backoff between attempts.",
  },
  {
    name: "STRUCTREG_OPENAI_MAX_CONNECTIONS",
    default: "32",
    description: "Keep-alive connection pool size to the OpenAI origin.",
  },
  {
    name: "STRUCTREG_OPENAI_MAX_INFLIGHT",
    default: "64",
    description: "Concurrent generate calls per instance.",
  },
  {
    name: "STRUCTREG_OPENAI_MAX_QUEUE",
    default: "128",
    description: "Calls that may wait for a slot; beyond, 503 with Retry-After at once.",
  },
  {
    name: "STRUCTREG_OPENAI_BREAKER_THRESHOLD",
    default: "0.2",
    description: "Failure ratio over the window that opens the circuit breaker.",
  },
  {
    name: "STRUCTREG_OPENAI_BREAKER_MIN_CALLS",
    default: "100",
    description: "Upstream attempts in the window before the breaker may open.",
  },
  {
    name: "STRUCTREG_OPENAI_BREAKER_WINDOW_MS",
    default: "60000",
    description: "Sliding window of the breaker.",
  },
  {
    name: "STRUCTREG_OPENAI_BREAKER_COOLDOWN_MS",
    default: "30000",
    description: "Time open before a half-open probe.",
  },
  { name: "STRUCTREG_OPENAI_RPM", default: "0", description: "Client-side requests per minute (0 = off)." },
  {
    name: "STRUCTREG_OPENAI_TPM",
    default: "0",
    description: "Client-side estimated tokens per minute, characters ÷ 4 (0 = off).",
  },
  {
    name: "STRUCTREG_OPENAI_IDEMPOTENCY_WINDOW_MS",
    default: "600000",
    description: "How long an idempotencyKey's result is kept.",
  },
  {
    name: "STRUCTREG_OPENAI_SLO",
    default: "0.99",
    description: "Availability objective of the error-budget burn rate metric.",
  },
  {
    name: "STRUCTREG_OPENAI_STREAM_BACKGROUND",
    default: "false",
    description:
      "Streamed generate calls create background responses (`background` and `store` true) so that a cut stream resumes; the response is stored at OpenAI for its retention period.",
  },
  {
    name: "STRUCTREG_OPENAI_SUBJECTS",
    default: "{}",
    description: 'Per-subject JSON: `{"<subject>": {"model", "fallbackModel", "fallbackValue"}}`.',
  },
] as const;
