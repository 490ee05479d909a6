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
});
