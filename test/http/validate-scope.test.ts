import type { FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createTestServices, type Services } from "../../src/compose.js";
import type { JsonObject } from "../../src/core/json.js";
import { buildApp } from "../../src/http/app.js";
import { DRY_RUN_HEADER } from "../../src/http/routes/validate.js";
import { send } from "./helpers.js";

const TOKENS = [
  { name: "viewer", secret: "viewer-secret-0123456789", scopes: ["read" as const] },
  { name: "service", secret: "service-secret-0123456789", scopes: ["validate" as const] },
  { name: "ops", secret: "ops-secret-0123456789abc", scopes: ["write" as const] },
];
const AS = {
  viewer: { authorization: "Bearer viewer-secret-0123456789" },
  service: { authorization: "Bearer service-secret-0123456789" },
  ops: { authorization: "Bearer ops-secret-0123456789abc" },
};

function closed(properties: JsonObject): JsonObject {
  return { type: "object", properties, required: Object.keys(properties), additionalProperties: false };
}

let services: Services;
let app: FastifyInstance;
beforeEach(async () => {
  services = createTestServices({ flagKeyPrefix: "structreg." });
  await services.registry.setConfig(null, { compatibility: "NONE" });
  await services.registry.register("inv", closed({ a: { type: "string" } }));
  await services.registry.register("inv", closed({ a: { type: "string" }, b: { type: "string" } }));
  app = await buildApp({
    registry: services.registry,
    validation: services.validation,
    quarantine: services.quarantine,
    rollout: { service: services.rollout.service, guard: services.rollout.guard },
    metrics: services.metrics,
    options: { tokens: TOKENS },
  });
});
afterEach(async () => {
  await app.close();
  await services.close();
});

const failing = (key: string) => ({ output: '{"x": [1]}', key });
const openSamples = async () => (await services.quarantineStore.counts()).reduce((n, c) => n + c.open, 0);

describe("who may quarantine and feed the guard", () => {
  test("a read-only token validates as a dry run: answered, nothing quarantined", async () => {
    const res = await send(app, "POST", "/subjects/inv/validate", failing("k1"), AS.viewer);
    expect(res.statusCode).toBe(422);
    expect(res.headers[DRY_RUN_HEADER]).toBe("true");
    expect(res.json().quarantineId).toBeUndefined();
    expect(await openSamples()).toBe(0);
  });

  test.each(["service", "ops"] as const)("a %s token (validate scope or above) quarantines", async (who) => {
    const res = await send(app, "POST", "/subjects/inv/validate", failing("k1"), AS[who]);
    expect(res.statusCode).toBe(422);
    expect(res.headers[DRY_RUN_HEADER]).toBeUndefined();
    expect(res.json().quarantineId).toEqual(expect.any(Number));
    expect(await openSamples()).toBe(1);
  });

  test("failing outputs of a read-only token never roll a rollout back; the same from a validate token do", async () => {
    const put = await send(
      app,
      "PUT",
      "/subjects/inv/rollout",
      { candidate: 2, percent: 100, stage: "ramping", guard: { minSample: 10, thresholdPercent: 5 } },
      AS.ops,
    );
    expect(put.statusCode).toBe(200);
    for (let i = 0; i < 50; i++)
      await send(app, "POST", "/subjects/inv/validate", failing(`k${i}`), AS.viewer);
    const untouched = await send(app, "GET", "/subjects/inv/rollout", undefined, AS.viewer);
    expect(untouched.json()).toMatchObject({ stage: "ramping", candidate: 2 });
    for (let i = 0; i < 50; i++)
      await send(app, "POST", "/subjects/inv/validate", failing(`k${i}`), AS.service);
    await expect
      .poll(async () => (await send(app, "GET", "/subjects/inv/rollout", undefined, AS.viewer)).json().stage)
      .toBe("rolled_back");
  });

  test("a read-only token's outputs feed no shadow run either", async () => {
    const guard = { minSample: 10, thresholdPercent: 5, shadowPercent: 100 };
    const body = { candidate: 2, percent: 0, stage: "shadow", guard };
    expect((await send(app, "PUT", "/subjects/inv/rollout", body, AS.ops)).statusCode).toBe(200);
    for (let i = 0; i < 50; i++)
      await send(app, "POST", "/subjects/inv/validate", failing(`k${i}`), AS.viewer);
    await services.rollout.shadow.drain();
    const state = await send(app, "GET", "/subjects/inv/rollout", undefined, AS.viewer);
    expect(state.json()).toMatchObject({ stage: "shadow", candidate: 2 });
  });
});
