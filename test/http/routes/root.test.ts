import { describe, expect, test } from "vitest";
import { createFakeRegistry } from "../fake-registry.js";
import { send, testApp } from "../helpers.js";

describe("root and probes", () => {
  test("GET / answers an empty object", async () => {
    const { app } = await testApp();
    expect((await send(app, "GET", "/")).json()).toEqual({});
  });

  test("healthz answers while the registry is not ready, readyz answers 503", async () => {
    const registry = createFakeRegistry();
    registry.readyError = new Error("store down");
    const { app } = await testApp({ registry });
    expect((await send(app, "GET", "/healthz")).json()).toEqual({ status: "ok" });
    const res = await send(app, "GET", "/readyz");
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: "SR_UNAVAILABLE", error_code: 503 });
    expect(res.body).not.toContain("store down");
  });

  test("readyz answers 200 when the registry is ready", async () => {
    const { app } = await testApp();
    const res = await send(app, "GET", "/readyz");
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: "ready" });
  });
});
