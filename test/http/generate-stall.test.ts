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

/** The call budget of this test: short, so a stalled body must be cut well before vitest's timeout. */
const BUDGET_MS = 800;
/** Keep-alive connections the client may hold to the fake. */
const POOL = 16;

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

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
        attemptTimeoutMs: 500,
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
        // Cut at the budget; the slack only absorbs a busy machine, far below a hang.
        expect(ms).toBeLessThan(BUDGET_MS + 4000);
      }
      expect(served.length).toBeGreaterThan(10);
      expect(served.every((status) => status === 200)).toBe(true);
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
