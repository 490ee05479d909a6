/**
 * The Responses API client with production transport discipline. One call, outermost first:
 *   whole-request budget → in-flight permit (bounded queue, else 503 at once) → for each attempt:
 *   client-side rate limit → the model's circuit breaker → one SDK call cut at min(attempt timeout, budget
 *   left) → on 429/5xx/network/timeout, wait (Retry-After, else jittered backoff) only if the wait fits
 *   the budget left, at most `maxRetries` times. 400/401/403/404/422 are never retried; a refusal, an
 *   incomplete or a failed response is an HTTP 200 and goes back to the caller as it is.
 */
import type { Registry } from "prom-client";
import type {
  ResponsesCallOptions,
  ResponsesPort,
  ResponsesRequest,
  UpstreamResponse,
  UpstreamStream,
} from "../../app/generation-types.js";
import { StructregError } from "../../core/errors.js";
import type { ResponseEventStream } from "../../core/parse/response-events.js";
import { type AttemptContext, AttemptError, runAttempt } from "./attempt.js";
import { cancelBackgroundResponse, resumeBackgroundStream } from "./background-stream.js";
import { BreakerOpen, type BreakerStateName, Breakers } from "./breakers.js";
import { errorForFailure } from "./failures.js";
import { InFlightLimiter } from "./in-flight-limiter.js";
import { createOpenAIMetrics, type OpenAIMetrics, setBreakerState } from "./metrics.js";
import type { OpenAIConfig } from "./openai-config.js";
import { estimateTokens, RateLimiter } from "./rate-limiter.js";
import { backoffMs, retryAfterMs } from "./retry-after.js";
import { guardStream } from "./stream-guard.js";
import { createTransport, type Transport } from "./transport.js";

/** What the client is built from. */
export interface ResponsesClientOptions {
  config: OpenAIConfig;
  /** Prometheus registry for the `openai_*` metrics (unregistered metrics when absent). */
  metricsRegistry?: Registry;
  /** Jitter source in [0, 1). Default `Math.random`. */
  random?: () => number;
}

/** The resilient Responses API client (one per process). */
export interface ResponsesClient extends ResponsesPort {
  breakerState(model: string): BreakerStateName;
  readonly inFlight: number;
  readonly metrics: OpenAIMetrics;
  close(): Promise<void>;
}

/** Suggested wait for a shed call: long enough for a slot to free up, short enough to feel live. */
const SHED_RETRY_AFTER_MS = 1000;

/** Builds the client; SR_OPENAI_NOT_CONFIGURED without an API key. */
export function createResponsesClient(options: ResponsesClientOptions): ResponsesClient {
  const { config } = options;
  if (config.apiKey === undefined) {
    throw new StructregError("SR_OPENAI_NOT_CONFIGURED", "generation is off: OPENAI_API_KEY is not set", {
      hint: "set OPENAI_API_KEY (and OPENAI_BASE_URL for a compatible endpoint)",
    });
  }
  const transport = createTransport({
    apiKey: config.apiKey,
    baseURL: config.baseURL,
    maxConnections: config.maxConnections,
    timeoutMs: config.attemptTimeoutMs,
  });
  return new ResilientResponsesClient(config, transport, options);
}

class ResilientResponsesClient implements ResponsesClient {
  readonly metrics: OpenAIMetrics;
  private readonly context: AttemptContext;
  private readonly limiter: InFlightLimiter;
  private readonly rate: RateLimiter;
  private readonly breakers: Breakers;
  private readonly random: () => number;

  constructor(
    private readonly config: OpenAIConfig,
    private readonly transport: Transport,
    options: ResponsesClientOptions,
  ) {
    this.metrics = createOpenAIMetrics(options.metricsRegistry, config.sloTarget);
    this.context = { metrics: this.metrics, attemptTimeoutMs: config.attemptTimeoutMs };
    this.limiter = new InFlightLimiter(config.maxInFlight, config.maxQueue);
    this.rate = new RateLimiter(config.requestsPerMinute, config.tokensPerMinute, performance.now());
    this.random = options.random ?? Math.random;
    this.breakers = new Breakers(
      {
        threshold: config.breakerThreshold,
        minCalls: config.breakerMinCalls,
        windowMs: config.breakerWindowMs,
        cooldownMs: config.breakerCooldownMs,
      },
      (err) => err instanceof AttemptError && err.failure.breakerFailure,
      (model, state) => setBreakerState(this.metrics, model, state),
    );
  }

  get inFlight(): number {
    return this.limiter.inFlight;
  }

  breakerState(model: string): BreakerStateName {
    return this.breakers.state(model);
  }

  async create(request: ResponsesRequest, options: ResponsesCallOptions = {}): Promise<UpstreamResponse> {
    const { deadline, release } = await this.permit(request, options);
    try {
      return await this.attempts(request, deadline, (r, d) => this.once(r, d));
    } finally {
      this.metrics.inflight.dec();
      release();
    }
  }

  /**
   * The call with `stream: true`: permit, rate limit, breaker and retries as for `create` until the stream
   * opens; the in-flight permit is held until the stream ends (with background streams, until `release`).
   * A stream that sends nothing for the attempt timeout is aborted (every wait has a bound). With
   * `streamBackground` the response is created in the background, so a cut stream can be resumed.
   */
  async stream(request: ResponsesRequest, options: ResponsesCallOptions = {}): Promise<UpstreamStream> {
    const { deadline, release } = await this.permit(request, options);
    let held = true;
    const done = () => {
      if (!held) return;
      held = false;
      this.metrics.inflight.dec();
      release();
    };
    const background = this.config.streamBackground;
    try {
      const body = background ? { ...request, background: true, store: true } : request;
      const opened = await this.attempts(body, deadline, (r, d) => this.openStream(r, d));
      // A background stream's permit outlives its first connection: resumes read the same response.
      const events = guardStream(opened.events, this.config.attemptTimeoutMs, background ? () => {} : done);
      if (!background) return { ...opened, events, release: done };
      return {
        ...opened,
        events,
        release: done,
        resume: (id, after) => resumeBackgroundStream(this.context, this.transport, id, after, request.model),
        cancel: (id) => void cancelBackgroundResponse(this.context, this.transport, id),
      };
    } catch (err) {
      done();
      throw err;
    }
  }

  close(): Promise<void> {
    return this.transport.close();
  }

  /** The call's deadline and an in-flight slot (counted in openai_inflight), waited for within the budget. */
  private async permit(
    request: ResponsesRequest,
    options: ResponsesCallOptions,
  ): Promise<{ deadline: number; release: () => void }> {
    const budget = Math.min(options.budgetMs ?? this.config.budgetMs, this.config.budgetMs);
    const deadline = performance.now() + budget;
    const release = await this.limiter.acquire(AbortSignal.timeout(Math.max(1, Math.ceil(budget))));
    if (release === "queue_full") throw this.shed();
    if (release === "aborted") throw budgetSpent(request.model, 0, "waiting for an in-flight slot");
    this.metrics.inflight.inc();
    return { deadline, release };
  }

  private async attempts<T extends object>(
    request: ResponsesRequest,
    deadline: number,
    call: (request: ResponsesRequest, deadline: number) => Promise<T>,
  ): Promise<T & { model: string; attempts: number }> {
    const tokens = estimateTokens(JSON.stringify(request).length);
    for (let attempt = 0; ; attempt++) {
      await this.admit(request.model, tokens, deadline, attempt);
      if (attempt > 0) this.metrics.retries.inc();
      try {
        const answer = await this.breakers.run(request.model, () => call(request, deadline));
        return { ...answer, model: request.model, attempts: attempt + 1 };
      } catch (err) {
        if (err instanceof BreakerOpen) throw this.circuitOpen(err, attempt);
        if (!(err instanceof AttemptError)) throw err;
        const failure = err.failure;
        if (!failure.retryable || attempt >= this.config.maxRetries) {
          throw errorForFailure(failure, attempt + 1, request.model);
        }
        const wait = retryAfterMs(failure.headers, Date.now()) ?? this.backoff(attempt);
        // A wait that would not leave time for another attempt is not waited at all (Retry-After: 120).
        if (wait >= deadline - performance.now()) throw errorForFailure(failure, attempt + 1, request.model);
        await sleep(wait);
      }
    }
  }

  /** Rate limit for one attempt, within the budget; SR_OPENAI_TIMEOUT when none is left. */
  private async admit(model: string, tokens: number, deadline: number, attempt: number): Promise<void> {
    const left = deadline - performance.now();
    if (left <= 0) throw budgetSpent(model, attempt, "before the next attempt");
    if (this.rate.off) return;
    const wait = this.rate.reserve(tokens, performance.now(), left);
    if (wait === undefined) {
      this.metrics.requests.inc({ status: "rate_limited_locally" });
      throw new StructregError(
        "SR_OPENAI_RATE_LIMITED",
        "client-side rate limit: no capacity within the budget",
        {
          details: { model, attempts: attempt, clientSide: true, retryAfterMs: SHED_RETRY_AFTER_MS },
        },
      );
    }
    if (wait > 0) await sleep(wait);
  }

  /** One SDK call, cut by our own signal at min(attempt timeout, budget left): the SDK's timeout stops at headers. */
  private async once(
    request: ResponsesRequest,
    deadline: number,
  ): Promise<{ response: Record<string, unknown>; requestId: string | undefined }> {
    const { data, requestId } = await this.attempt(request, deadline);
    return { response: data as Record<string, unknown>, requestId };
  }

  /** One streamed SDK call up to its headers, cut like `once` until then. */
  private async openStream(
    request: ResponsesRequest,
    deadline: number,
  ): Promise<{ events: ResponseEventStream; requestId: string | undefined }> {
    const { data, requestId } = await this.attempt({ ...request, stream: true }, deadline);
    return { events: data as ResponseEventStream, requestId };
  }

  private attempt(request: ResponsesRequest | (ResponsesRequest & { stream: true }), deadline: number) {
    const body = request as unknown as Parameters<Transport["sdk"]["responses"]["create"]>[0];
    return runAttempt(this.context, deadline, (signal, timeout) =>
      this.transport.sdk.responses.create(body as never, { signal, timeout, maxRetries: 0 }).withResponse(),
    );
  }

  private backoff(retry: number): number {
    return backoffMs(retry, this.config.backoffBaseMs, this.config.backoffCapMs, this.random);
  }

  private shed(): StructregError {
    this.metrics.requests.inc({ status: "shed" });
    return new StructregError("SR_OPENAI_OVERLOADED", "too many generate calls in flight: retry shortly", {
      details: {
        inFlight: this.limiter.inFlight,
        queued: this.limiter.waiting,
        retryAfterMs: SHED_RETRY_AFTER_MS,
      },
    });
  }

  private circuitOpen(err: BreakerOpen, attempt: number): StructregError {
    this.metrics.requests.inc({ status: "breaker_open" });
    return new StructregError("SR_OPENAI_CIRCUIT_OPEN", `${err.message}: failing fast`, {
      details: { model: err.model, attempts: attempt, retryAfterMs: Math.max(1000, err.retryAfterMs) },
    });
  }
}

function budgetSpent(model: string, attempts: number, where: string): StructregError {
  return new StructregError("SR_OPENAI_TIMEOUT", `the call's time budget ran out ${where}`, {
    details: { model, attempts },
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
