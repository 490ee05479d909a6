import { afterEach, describe, expect, test } from "vitest";
import { createTestServices, type Services } from "../../src/compose.js";
import { buildApp } from "../../src/http/app.js";
import { send } from "./helpers.js";
import { GOOD, TICKET } from "./validate-fixtures.js";

let services: Services | undefined;
afterEach(async () => {
  await services?.close();
});

describe("composed services", () => {
  test("wire validation, the quarantine and their metrics, and see registrations at once", async () => {
    services = createTestServices();
    const app = await buildApp({ ...services, logger: false });
    try {
      await services.registry.register("tickets", TICKET);
      expect((await send(app, "POST", "/subjects/tickets/validate", { output: GOOD })).statusCode).toBe(200);
      const rejected = await send(app, "POST", "/subjects/tickets/validate", { output: "{}" });
      expect(rejected.statusCode).toBe(422);
      const id = rejected.json().quarantineId;
      expect((await send(app, "GET", `/quarantine/${id}`)).json()).toMatchObject({ raw: "{}" });
      // A new version is the target immediately: the registry invalidates the version cache.
      await services.registry.setConfig("tickets", { compatibility: "NONE", profile: "json-schema" });
      await services.registry.register("tickets", { ...TICKET, required: ["name"] });
      expect(
        (await send(app, "POST", "/subjects/tickets/validate", { output: '{"name":"a"}' })).json(),
      ).toMatchObject({
        ok: true,
        version: 2,
      });
      const metrics = (await send(app, "GET", "/metrics")).body;
      expect(metrics).toContain("structreg_validations_total");
      expect(metrics).toContain('structreg_quarantine_samples{subject="tickets",status="open"} 1');
    } finally {
      await app.close();
    }
  });

  test("the composed service (wrapped for shadow runs) keeps validateNow and parser", async () => {
    services = createTestServices();
    await services.registry.register("tickets", TICKET);
    const first = services.validation.validateNow("tickets", GOOD, { key: "k" });
    expect(first).toBeInstanceOf(Promise);
    expect(await first).toMatchObject({ ok: true, version: 1, track: "strict" });
    // The versions are cached now, and no rollout needs the SDK: the answer is immediate.
    const now = services.validation.validateNow("tickets", GOOD, { key: "k" });
    expect(now).not.toBeInstanceOf(Promise);
    expect(now).toMatchObject({ ok: true, version: 1, resolution: "latest" });
    const rejected = services.validation.validateNow("tickets", "{}", { key: "k" });
    expect(rejected).toBeInstanceOf(Promise);
    expect(await rejected).toMatchObject({ ok: false, quarantineId: expect.any(Number) });
    const v1 = { version: 1, id: 1, fingerprint: "fp-1", state: "ENABLED" as const, schema: TICKET };
    expect(services.validation.parser(v1).parse(GOOD)).toMatchObject({ ok: true, track: "strict" });
  });
});
