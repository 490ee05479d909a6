import { Registry } from "prom-client";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { OpenAIConfig } from "../../../src/adapters/openai/openai-config.js";
import {
  createResponsesClient,
  type ResponsesClient,
} from "../../../src/adapters/openai/responses-client.js";
import { isStructregError, type StructregError } from "../../../src/core/errors.js";
import { type FakeOpenAI, startFakeOpenAI } from "../../helpers/fake-openai.js";
import { request, testConfig, timed } from "./helpers.js";

let fake: FakeOpenAI;
const clients: ResponsesClient[] = [];

beforeEach(async () => {
  fake = await startFakeOpenAI({ defaultOutput: { answer: "42" } });
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await fake.close();
});

function client(overrides: Partial<OpenAIConfig> = {}, metricsRegistry?: Registry): ResponsesClient {
  const c = createResponsesClient({
    config: testConfig(fake, overrides),
    ...(metricsRegistry === undefined ? {} : { metricsRegistry }),
  });
  clients.push(c);
  return c;
}

function codeOf(error: unknown): string | undefined {
  return isStructregError(error) ? error.code : undefined;
}

function upstreamCallsFor(input: string): number {
  return fake.requests.filter((r) => r.body.input === input).length;
}

describe("the Responses API client", () => {
  test("answers the response with its x-request-id, and reuses kept-alive connections", async () => {
    const c = client();
    for (let i = 0; i < 5; i++) {
      const answer = await c.create(request());
      expect(answer.response.output_text).toBe('{"answer":"42"}');
      expect(answer.requestId).toBe(`req_fake_${i + 1}`);
      expect(answer.attempts).toBe(1);
    }
    // Sequential calls: undici may open a second socket before the first is marked free, never one per call.
    expect(fake.connections()).toBeLessThanOrEqual(2);
    expect(fake.requests[0]!.body.text).toEqual(request().text);
  });

  test("without an API key it refuses to build with SR_OPENAI_NOT_CONFIGURED", () => {
    expect(() => createResponsesClient({ config: { ...testConfig(fake), apiKey: undefined } })).toThrow(
      expect.objectContaining({ code: "SR_OPENAI_NOT_CONFIGURED" }),
    );
  });

  test.each([500, 502, 503, 504])("retries a %i and answers the next success", async (status) => {
    fake.script({ kind: "error", status });
    const answer = await client().create(request());
    expect(answer.attempts).toBe(2);
    expect(fake.requests).toHaveLength(2);
  });

  test("retries a connection reset", async () => {
    fake.script({ kind: "reset" });
    const answer = await client().create(request());
    expect(answer.attempts).toBe(2);
  });

  test.each([
    [400, "SR_OPENAI_REJECTED"],
    [403, "SR_OPENAI_REJECTED"],
    [404, "SR_OPENAI_REJECTED"],
    [422, "SR_OPENAI_REJECTED"],
  ])("never retries a %i", async (status, code) => {
    fake.script({ kind: "error", status, code: "bad_thing", param: "text.format.schema" });
    const { error } = await timed(() => client().create(request()));
    expect(codeOf(error)).toBe(code);
    expect((error as StructregError).details).toMatchObject({
      attempts: 1,
      upstreamStatus: status,
      requestId: "req_fake_1",
      upstream: { code: "bad_thing", param: "text.format.schema" },
    });
    expect(fake.requests).toHaveLength(1);
  });

  test("never retries a 401 (a wrong key)", async () => {
    const { error } = await timed(() => client({ apiKey: "sk-wrong" }).create(request()));
    expect(codeOf(error)).toBe("SR_OPENAI_REJECTED");
    expect((error as StructregError).details).toMatchObject({ upstreamStatus: 401 });
    expect((error as StructregError).hint).toMatch(/OPENAI_API_KEY/);
    expect(fake.requests).toHaveLength(1);
  });

  test("relays OpenAI's error type and code, never the key fragment its 401 quotes", async () => {
    const { error } = await timed(() => client({ apiKey: "sk-proj-wrong0123456789wxyz" }).create(request()));
    const err = error as StructregError;
    expect(err.details).toMatchObject({
      upstream: { type: "invalid_request_error", code: "invalid_api_key" },
    });
    const text = JSON.stringify({ message: err.message, details: err.details, cause: String(err.cause) });
    expect(text).toContain("Incorrect API key provided");
    expect(text).not.toMatch(/sk-proj|wxyz|\*\*\*/);
  });

  test("gives up after 2 retries: 3 upstream attempts at most", async () => {
    fake.fallback = () => ({ kind: "error", status: 503 });
    const { error } = await timed(() => client().create(request()));
    expect(codeOf(error)).toBe("SR_OPENAI_UPSTREAM");
    expect((error as StructregError).details).toMatchObject({ attempts: 3, upstreamStatus: 503 });
    expect(fake.requests).toHaveLength(3);
  });

  test("honours retry-after-ms over Retry-After", async () => {
    fake.script({ kind: "error", status: 429, headers: { "retry-after-ms": "30", "retry-after": "120" } });
    const { value, ms } = await timed(() => client().create(request()));
    expect(value?.attempts).toBe(2);
    expect(ms).toBeLessThan(1500);
  });

  test("Retry-After: 120 never makes a call wait beyond its budget", async () => {
    fake.fallback = () => ({ kind: "error", status: 429, headers: { "retry-after": "120" } });
    const { error, ms } = await timed(() => client({ budgetMs: 1500 }).create(request()));
    expect(codeOf(error)).toBe("SR_OPENAI_RATE_LIMITED");
    expect(fake.requests).toHaveLength(1);
    expect(ms).toBeLessThan(1500);
  });

  test("a response slower than the budget ends at the budget with SR_OPENAI_TIMEOUT", async () => {
    const metrics = new Registry();
    fake.fallback = () => ({ kind: "slow", delayMs: 10_000 });
    const { error, ms } = await timed(() =>
      client({ budgetMs: 600, attemptTimeoutMs: 400 }, metrics).create(request()),
    );
    expect(codeOf(error)).toBe("SR_OPENAI_TIMEOUT");
    expect(ms).toBeLessThan(600 + 1000);
    expect(await metrics.getSingleMetricAsString("openai_timeout_total")).toMatch(
      /openai_timeout_total [1-9]/,
    );
  });

  test.each([
    ["refusal", { kind: "refusal" } as const, "completed"],
    ["incomplete", { kind: "incomplete", text: '{"answer": "4' } as const, "incomplete"],
    ["failed", { kind: "failed" } as const, "failed"],
  ])("hands a %s response back once, not as an error", async (_name, step, status) => {
    fake.script(step);
    const answer = await client().create(request());
    expect(answer.response.status).toBe(status);
    expect(answer.attempts).toBe(1);
  });

  test("sheds load with SR_OPENAI_OVERLOADED at once when in-flight and queue are full", async () => {
    fake.fallback = () => ({ kind: "ok", output: { answer: "slow" }, delayMs: 300 });
    const c = client({ maxInFlight: 2, maxQueue: 2 });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => timed(() => c.create(request(`c${i}`)))),
    );
    const shed = results.filter((r) => codeOf(r.error) === "SR_OPENAI_OVERLOADED");
    expect(results.filter((r) => r.value !== undefined)).toHaveLength(4);
    expect(shed).toHaveLength(6);
    for (const r of shed) {
      expect((r.error as StructregError).details).toMatchObject({ retryAfterMs: expect.any(Number) });
      // Shed without waiting: well inside the 1.5 s budget a queued call could have spent.
      expect(r.ms).toBeLessThan(1500);
    }
    expect(fake.requests).toHaveLength(4);
    expect(c.inFlight).toBe(0);
  });

  test("client-side rate limiting refuses what cannot be sent within the budget", async () => {
    const c = client({ requestsPerMinute: 2 });
    const results = await Promise.all([0, 1, 2].map((i) => timed(() => c.create(request(`r${i}`)))));
    expect(results.filter((r) => r.value !== undefined)).toHaveLength(2);
    const refused = results.find((r) => r.error !== undefined)?.error as StructregError;
    expect(codeOf(refused)).toBe("SR_OPENAI_RATE_LIMITED");
    expect(refused.details).toMatchObject({ clientSide: true });
    expect(fake.requests).toHaveLength(2);
  });
});

describe("a 429 storm", () => {
  test("caps attempts per call, opens the breaker, keeps calls within budget, and recovers via half-open", async () => {
    const metrics = new Registry();
    const budgetMs = 800;
    const c = client(
      { budgetMs, attemptTimeoutMs: 500, breakerMinCalls: 12, breakerThreshold: 0.2, breakerCooldownMs: 300 },
      metrics,
    );
    fake.fallback = () => ({ kind: "error", status: 429 });
    const calls = 40;
    const results = [];
    // Waves of 4 concurrent calls, as a busy service would send them.
    for (let wave = 0; wave < calls / 4; wave++) {
      results.push(
        ...(await Promise.all([0, 1, 2, 3].map((i) => timed(() => c.create(request(`storm-${wave}-${i}`)))))),
      );
    }
    for (const [i, r] of results.entries()) {
      expect(["SR_OPENAI_RATE_LIMITED", "SR_OPENAI_CIRCUIT_OPEN"]).toContain(codeOf(r.error));
      expect(r.ms).toBeLessThan(budgetMs + 1000);
      expect(upstreamCallsFor(`storm-${Math.floor(i / 4)}-${i % 4}`)).toBeLessThanOrEqual(3);
    }
    expect(c.breakerState("gpt-4.1-mini")).toBe("open");
    // Without a breaker the storm would have cost 3 attempts per call.
    expect(fake.requests.length).toBeLessThan(calls);
    const failFast = results.filter((r) => codeOf(r.error) === "SR_OPENAI_CIRCUIT_OPEN");
    expect(failFast.length).toBeGreaterThan(calls / 2);
    expect(await metrics.getSingleMetricAsString("openai_breaker_state")).toMatch(/model="gpt-4.1-mini"} 2/);

    // The storm ends; after the cool-down one probe goes through and closes the breaker.
    fake.fallback = () => ({ kind: "ok", output: { answer: "back" } });
    await new Promise((resolve) => setTimeout(resolve, 350));
    const probe = await c.create(request("probe"));
    expect(probe.response.output_text).toBe('{"answer":"back"}');
    expect(c.breakerState("gpt-4.1-mini")).toBe("closed");
    const after = await c.create(request("after"));
    expect(after.attempts).toBe(1);
    expect(await metrics.getSingleMetricAsString("openai_requests_total")).toMatch(/status="429"/);
  });

  test("a second model's breaker stays closed while the first is open", async () => {
    const c = client({ breakerMinCalls: 3, breakerCooldownMs: 60_000 });
    fake.fallback = (body) =>
      body.model === "bad-model" ? { kind: "error", status: 500 } : { kind: "ok", output: { answer: "ok" } };
    await timed(() => c.create(request("x", "bad-model")));
    const { error } = await timed(() => c.create(request("y", "bad-model")));
    expect(codeOf(error)).toBe("SR_OPENAI_CIRCUIT_OPEN");
    const good = await c.create(request("z", "good-model"));
    expect(good.model).toBe("good-model");
    expect(c.breakerState("good-model")).toBe("closed");
  });
});
