import { afterEach, describe, expect, test } from "vitest";
import { createTestServices, type Services } from "../../src/compose.js";
import { buildApp } from "../../src/http/app.js";
import { testConfig } from "../adapters/openai/helpers.js";
import { INVOICE_V1 } from "../app/generation-fixtures.js";
import { type FakeOpenAI, startFakeOpenAI } from "../helpers/fake-openai.js";
import { waitFor } from "../helpers/wait-for.js";
import { send } from "./helpers.js";

let services: Services | undefined;
let fake: FakeOpenAI | undefined;

afterEach(async () => {
  await services?.close();
  await fake?.close();
  services = undefined;
  fake = undefined;
});

describe("composed generation", () => {
  test("without OPENAI_API_KEY, generate answers 503 SR_OPENAI_NOT_CONFIGURED and the rest works", async () => {
    services = createTestServices();
    expect(services.openai).toBeUndefined();
    const app = await buildApp({ ...services, logger: false });
    try {
      await services.registry.register("invoice", INVOICE_V1 as never);
      const res = await send(app, "POST", "/subjects/invoice/generate", { input: "x" });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({
        code: "SR_OPENAI_NOT_CONFIGURED",
        hint: expect.stringContaining("OPENAI_API_KEY"),
      });
      expect(
        (await send(app, "POST", "/subjects/invoice/validate", { output: '{"total":1,"currency":"EUR"}' }))
          .statusCode,
      ).toBe(200);
    } finally {
      await app.close();
    }
  });

  test("with a key, generate goes through the rollout decision, the real client and validation, with metrics", async () => {
    fake = await startFakeOpenAI({ defaultOutput: { total: 3, currency: "USD" } });
    services = createTestServices({ openai: testConfig(fake) });
    const app = await buildApp({ ...services, logger: false });
    try {
      await services.registry.register("invoice", INVOICE_V1 as never);
      const res = await send(app, "POST", "/subjects/invoice/generate", { input: "x", key: "user-1" });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ ok: true, version: 1, data: { total: 3 }, requestId: "req_fake_1" });
      const metrics = (await send(app, "GET", "/metrics")).body;
      expect(metrics).toContain('openai_requests_total{status="200"} 1');
      expect(metrics).toContain("openai_request_latency_ms_bucket");
      expect(metrics).toContain("openai_inflight 0");
      expect(metrics).toContain("openai_error_budget_burn_rate 0");
    } finally {
      await app.close();
    }
  });
});

/**
 * The call budget of this test: short, so a stalled body must be cut well before vitest's timeout, yet long
 * enough that calls answered at once are not cut on a busy machine.
 */
const BUDGET_MS = 2500;
/** Keep-alive connections the client may hold to the fake. */
const POOL = 16;

describe("generate while the OpenAI fake stalls mid-body", () => {
  test("stalled calls end with SR_OPENAI_TIMEOUT within their budget, others are served, nothing leaks", async () => {
    fake = await startFakeOpenAI();
    const output = { total: 3, currency: "USD" };
    // Inputs starting with "stall" get headers and 64 bytes of body, then silence.
    fake.fallback = (body) =>
      String(body.input).startsWith("stall") ? { kind: "stall", bytes: 64 } : { kind: "ok", output };
    services = createTestServices({
      openai: testConfig(fake, {
        budgetMs: BUDGET_MS,
        attemptTimeoutMs: 1500,
        maxInFlight: 8,
        maxQueue: 64,
        maxConnections: POOL,
      }),
    });
    const app = await buildApp({ ...services, logger: false });
    try {
      await services.registry.register("invoice", INVOICE_V1 as never);
      let stop = false;
      const served: number[] = [];
      const traffic = Array.from({ length: 3 }, async () => {
        while (!stop) {
          const res = await send(app, "POST", "/subjects/invoice/generate", { input: "ok", key: "k" });
          served.push(res.statusCode);
        }
      });
      const stalls = await Promise.all(
        Array.from({ length: 6 }, async (_, i) => {
          const started = performance.now();
          const res = await send(app, "POST", "/subjects/invoice/generate", { input: `stall ${i}` });
          return { res, ms: performance.now() - started };
        }),
      );
      // Traffic keeps being served after the stalls ended, too.
      const before = served.length;
      await waitFor("traffic after the stalls", () => served.length >= before + 10);
      stop = true;
      await Promise.all(traffic);

      for (const { res, ms } of stalls) {
        expect(res.statusCode).toBe(504);
        expect(res.json()).toMatchObject({ code: "SR_OPENAI_TIMEOUT" });
        // Cut at the budget. Not a speed claim: the fake never finishes a stalled body, so an uncut call would
        // hang; the generous slack only absorbs a busy machine.
        expect(ms).toBeLessThan(BUDGET_MS + 10_000);
      }
      expect(served.length).toBeGreaterThan(10);
      expect(served.filter((status) => status !== 200)).toEqual([]);
      // Every stalled upstream response was abandoned by the client (socket closed), and no slot is held.
      await waitFor("stalled responses closed", () => fake?.stalledOpen() === 0);
      expect(services.openai?.inFlight).toBe(0);
      const metrics = (await send(app, "GET", "/metrics")).body;
      expect(metrics).toContain("openai_inflight 0");
      expect(metrics).toMatch(/openai_timeout_total [1-9]/);
      // Aborted attempts' sockets are destroyed, not parked: the pool stays within its size.
      await waitFor("connections within the pool", () => (fake?.openConnections() ?? 0) <= POOL);
    } finally {
      await app.close();
    }
  });
});
