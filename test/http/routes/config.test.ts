import type { FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { send, testApp } from "../helpers.js";

let app: FastifyInstance;
beforeEach(async () => {
  ({ app } = await testApp());
});
afterEach(async () => {
  await app.close();
});

describe("/config", () => {
  test("answers the global level with policy and profile", async () => {
    expect((await send(app, "GET", "/config")).json()).toEqual({
      compatibilityLevel: "BACKWARD",
      policy: "STRICT",
      profile: "openai-strict",
    });
  });

  test("PUT answers Confluent's compatibility field and the extensions", async () => {
    const res = await send(app, "PUT", "/config", { compatibility: "FULL" });
    expect(res.json()).toEqual({ compatibility: "FULL", policy: "STRICT", profile: "openai-strict" });
    expect((await send(app, "GET", "/config")).json()).toMatchObject({ compatibilityLevel: "FULL" });
  });

  test("PUT accepts any subset of compatibility, policy and profile", async () => {
    const res = await send(app, "PUT", "/config/orders", { policy: "LENIENT", profile: "json-schema" });
    expect(res.json()).toEqual({ compatibility: "BACKWARD", policy: "LENIENT", profile: "json-schema" });
  });

  test.each([
    [{ compatibility: "SIDEWAYS" }, 42203, "SR_INVALID_COMPATIBILITY_LEVEL"],
    [{ compatibility: 1 }, 42203, "SR_INVALID_COMPATIBILITY_LEVEL"],
    [{ policy: "LOOSE" }, 422, "SR_INVALID_POLICY"],
    [{ profile: "gemini" }, 422, "SR_INVALID_PROFILE"],
    [{}, 400, "SR_INVALID_REQUEST"],
    [[], 400, "SR_INVALID_REQUEST"],
    ['"FULL"', 400, "SR_INVALID_REQUEST"],
  ])("refuses the body %j with %i %s", async (body, errorCode, code) => {
    const res = await send(app, "PUT", "/config", body);
    expect(res.json()).toMatchObject({ error_code: errorCode, code });
  });

  test("a subject without its own config is 40408 unless defaultToGlobal=true", async () => {
    expect((await send(app, "GET", "/config/orders")).json()).toMatchObject({ error_code: 40408 });
    const res = await send(app, "GET", "/config/orders?defaultToGlobal=true");
    expect(res.json()).toMatchObject({ compatibilityLevel: "BACKWARD" });
  });

  test("DELETE answers the config before and falls back to global", async () => {
    await send(app, "PUT", "/config/orders", { compatibility: "NONE" });
    expect((await send(app, "DELETE", "/config/orders")).json()).toMatchObject({
      compatibilityLevel: "NONE",
    });
    expect((await send(app, "GET", "/config/orders")).statusCode).toBe(404);
  });

  test("DELETE /config resets the global config", async () => {
    await send(app, "PUT", "/config", { compatibility: "FULL" });
    expect((await send(app, "DELETE", "/config")).json()).toMatchObject({ compatibilityLevel: "FULL" });
    expect((await send(app, "GET", "/config")).json()).toMatchObject({ compatibilityLevel: "BACKWARD" });
  });

  test("the mode is READWRITE", async () => {
    expect((await send(app, "GET", "/mode")).json()).toEqual({ mode: "READWRITE" });
  });
});
