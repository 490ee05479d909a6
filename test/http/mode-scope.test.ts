import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Services } from "../../src/compose.js";
import { CONSOLE_POST, consoleApp } from "../ui/helpers.js";
import { send } from "./helpers.js";

/**
 * What READONLY freezes (README, Modes): the registry's schemas and config on every path, the console's too;
 * not rollout flags, validate-and-parse or the quarantine.
 */
let app: FastifyInstance;
let services: Services;
beforeAll(async () => {
  ({ app, services } = await consoleApp());
  await services.registry.setMode(null, "READONLY");
});
afterAll(async () => {
  await app.close();
  await services.close();
});

describe("a READONLY registry", () => {
  test("the console's state change and delete are refused and the page shows SR_READ_ONLY_MODE", async () => {
    for (const path of ["/ui/subjects/invoice/versions/1/state", "/ui/subjects/invoice/versions/1/delete"]) {
      const res = await app.inject({
        method: "POST",
        url: path,
        headers: CONSOLE_POST,
        payload: JSON.stringify({ state: "DEPRECATED" }),
      });
      expect(res.statusCode).toBe(422);
      expect(res.body).toContain("SR_READ_ONLY_MODE");
    }
    expect((await services.registry.getVersion("invoice", 1)).state).toBe("ENABLED");
  });

  test("still changes rollouts and validates (quarantining a bad case)", async () => {
    const rollout = await send(app, "PUT", "/subjects/invoice/rollout", { candidate: 3, percent: 10 });
    expect(rollout.statusCode).toBe(200);
    expect(rollout.json()).toMatchObject({ candidate: 3, percent: 10 });
    const bad = await send(app, "POST", "/subjects/invoice/validate", {
      output: "not json at all",
      key: "k",
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toMatchObject({ code: "SR_OUTPUT_REJECTED", quarantineId: expect.any(Number) });
  });
});
