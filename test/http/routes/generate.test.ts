import type { FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { type GenerationWorld, generationWorld } from "../../app/generation-fixtures.js";
import { type FakeOpenAI, startFakeOpenAI } from "../../helpers/fake-openai.js";
import { send, testApp } from "../helpers.js";

let fake: FakeOpenAI;
let world: GenerationWorld;
let app: FastifyInstance;

async function build(openai: Parameters<typeof generationWorld>[1] = {}): Promise<void> {
  world = await generationWorld(fake, openai);
  app = (await testApp({ registry: world.registry, generation: world.generation })).app;
}

beforeEach(async () => {
  fake = await startFakeOpenAI({ defaultOutput: { total: 9.99, currency: "USD" } });
});

afterEach(async () => {
  await app.close();
  await world.close();
  await fake.close();
});

describe("POST /subjects/{s}/generate", () => {
  test("answers 200 with the validated object, version, usage and the upstream request id", async () => {
    await build();
    const res = await send(app, "POST", "/subjects/invoice/generate", { input: "receipt text", key: "u1" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      ok: true,
      version: 1,
      data: { total: 9.99, currency: "USD" },
      requestId: "req_fake_1",
      usage: { input_tokens: 37 },
      model: "gpt-4.1-mini",
      attempts: 1,
      key: "u1",
    });
  });

  test("answers 422 SR_OUTPUT_REJECTED with the quarantined bad case", async () => {
    await build();
    fake.script({ kind: "ok", text: "I think the total is about ten dollars." });
    const res = await send(app, "POST", "/subjects/invoice/generate", { input: "receipt" });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      code: "SR_OUTPUT_REJECTED",
      ok: false,
      reason: "no_json",
      quarantineId: expect.any(Number),
      requestId: "req_fake_1",
    });
  });

  test("answers a refusal as 422 with reason refusal", async () => {
    await build();
    fake.script({ kind: "refusal", refusal: "I can't help with that." });
    const res = await send(app, "POST", "/subjects/invoice/generate", { input: "x" });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      reason: "refusal",
      issues: [expect.objectContaining({ code: "refusal" })],
    });
  });

  test("sheds with 503 and Retry-After when the in-flight limit and queue are full", async () => {
    await build({ openai: { maxInFlight: 1, maxQueue: 0 } });
    fake.fallback = () => ({ kind: "ok", output: { total: 1, currency: "EUR" }, delayMs: 200 });
    const [a, b] = await Promise.all([
      send(app, "POST", "/subjects/invoice/generate", { input: "a" }),
      send(app, "POST", "/subjects/invoice/generate", { input: "b" }),
    ]);
    const shed = [a, b].find((r) => r.statusCode === 503);
    expect([a, b].map((r) => r.statusCode).sort()).toEqual([200, 503]);
    expect(shed?.headers["retry-after"]).toBe("1");
    expect(shed?.json()).toMatchObject({ code: "SR_OPENAI_OVERLOADED", error_code: 503 });
  });

  test("answers 503 SR_OPENAI_CIRCUIT_OPEN with Retry-After while the breaker is open", async () => {
    await build({ openai: { breakerMinCalls: 2, breakerCooldownMs: 30_000, maxRetries: 0 } });
    fake.fallback = () => ({ kind: "error", status: 502 });
    for (const input of ["a", "b"]) {
      const res = await send(app, "POST", "/subjects/invoice/generate", { input });
      expect(res.json()).toMatchObject({ code: "SR_OPENAI_UPSTREAM", error_code: 502 });
    }
    const res = await send(app, "POST", "/subjects/invoice/generate", { input: "c" });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: "SR_OPENAI_CIRCUIT_OPEN" });
    expect(Number(res.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers["retry-after"])).toBeLessThanOrEqual(30);
  });

  test.each([
    [{}, "missing input"],
    [{ input: "" }, "empty input"],
    [{ input: "x", temperature: 2 }, "an unknown field"],
    [{ input: "x", maxOutputTokens: 0 }, "maxOutputTokens below 16"],
  ])("refuses a body with %j (%s) as 400", async (body, _why) => {
    await build();
    const res = await send(app, "POST", "/subjects/invoice/generate", body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: "SR_INVALID_REQUEST" });
    expect(fake.requests).toHaveLength(0);
  });

  test("answers 404 for an unknown subject without calling OpenAI", async () => {
    await build();
    const res = await send(app, "POST", "/subjects/unknown/generate", { input: "x" });
    expect(res.statusCode).toBe(404);
    expect(fake.requests).toHaveLength(0);
  });
});
