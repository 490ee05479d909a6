import { afterEach, describe, expect, test } from "vitest";
import { createTestServices, type Services } from "../../src/compose.js";
import { buildApp } from "../../src/http/app.js";
import { testConfig } from "../adapters/openai/helpers.js";
import { INVOICE_V1 } from "../app/generation-fixtures.js";
import { type FakeOpenAI, startFakeOpenAI } from "../helpers/fake-openai.js";
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
