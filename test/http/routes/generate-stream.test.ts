import type { FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { type GenerationWorld, generationWorld } from "../../app/generation-fixtures.js";
import { type FakeOpenAI, startFakeOpenAI } from "../../helpers/fake-openai.js";
import { send, testApp } from "../helpers.js";
import { eventsOf, leaveAfterFirstPartial } from "../sse-events.js";

let fake: FakeOpenAI;
let world: GenerationWorld;
let app: FastifyInstance;

const TEXT = '{"total": 1234.5, "currency": "EUR"}';

beforeEach(async () => {
  fake = await startFakeOpenAI();
  world = await generationWorld(fake);
  app = (await testApp({ registry: world.registry, generation: world.generation })).app;
});

afterEach(async () => {
  await app.close();
  await world.close();
  await fake.close();
});

/** The non-streamed body, minus what differs between two calls. */
function comparable(body: Record<string, unknown>): Record<string, unknown> {
  const { requestId: _r, quarantineId: _q, ...rest } = body;
  return rest;
}

describe('POST /subjects/{s}/generate with "stream": true', () => {
  test("answers text/event-stream: partial objects forming, then one outcome equal to the non-streamed body", async () => {
    fake.script({ kind: "stream", of: { kind: "ok", text: TEXT }, chunk: 3 });
    const res = await send(app, "POST", "/subjects/invoice/generate", {
      input: "x",
      key: "u1",
      stream: true,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("text/event-stream");
    expect(fake.requests.at(-1)?.body.stream).toBe(true);
    // Background responses only with STRUCTREG_OPENAI_STREAM_BACKGROUND (generate-stream-resume.test.ts).
    expect(fake.requests.at(-1)?.body.background).toBeUndefined();
    const events = eventsOf(res.body);
    const partials = events.filter((e) => e.event === "partial");
    expect(partials.length).toBeGreaterThan(2);
    expect(partials[0]!.data).toMatchObject({ version: 1, status: "reading" });
    expect(partials.map((p) => p.data.value)).toContainEqual({ total: 1234.5 });
    expect(events.filter((e) => e.event === "outcome")).toHaveLength(1);
    const outcome = events.at(-1)!;
    expect(outcome.event).toBe("outcome");
    expect(outcome.data).toMatchObject({
      ok: true,
      data: { total: 1234.5, currency: "EUR" },
      requestId: expect.any(String),
    });

    fake.script({ kind: "ok", text: TEXT });
    const plain = await send(app, "POST", "/subjects/invoice/generate", { input: "x", key: "u1" });
    expect(comparable(outcome.data)).toEqual(comparable(plain.json()));
  });

  test("metrics: streams started and ended by result, time to first partial", async () => {
    fake.script({ kind: "stream", of: { kind: "ok", text: TEXT } });
    await send(app, "POST", "/subjects/invoice/generate", { input: "x", stream: true });
    fake.script({ kind: "stream", of: { kind: "ok", text: TEXT }, cutAfter: 6 });
    await send(app, "POST", "/subjects/invoice/generate", { input: "x", stream: true });
    const metrics = (await app.inject({ method: "GET", url: "/metrics" })).body;
    expect(metrics).toContain('structreg_streams_started_total{subject="invoice"} 2');
    expect(metrics).toContain('structreg_streams_ended_total{subject="invoice",result="ok"} 1');
    expect(metrics).toContain('structreg_streams_ended_total{subject="invoice",result="interrupted"} 1');
    expect(metrics).toContain('structreg_stream_first_partial_seconds_count{subject="invoice"} 2');
  });

  test("a rejected output ends with the 422 body, quarantined as usual", async () => {
    fake.script({ kind: "stream", of: { kind: "ok", text: '{"total": "lots", "currency": "EUR"}' } });
    const res = await send(app, "POST", "/subjects/invoice/generate", { input: "x", stream: true });
    const outcome = eventsOf(res.body).at(-1)!;
    expect(outcome).toMatchObject({
      event: "outcome",
      data: {
        code: "SR_OUTPUT_REJECTED",
        error_code: 42210,
        ok: false,
        reason: "invalid",
        quarantineId: expect.any(Number),
      },
    });
    expect((await world.quarantine.list({ subject: "invoice", limit: 10 })).items).toHaveLength(1);
  });

  test.each([
    ["refusal", { kind: "refusal" as const }],
    ["incomplete", { kind: "incomplete" as const, text: '{"total": 1' }],
  ])("a %s stream ends with its typed outcome", async (reason, of) => {
    fake.script({ kind: "stream", of });
    const res = await send(app, "POST", "/subjects/invoice/generate", { input: "x", stream: true });
    expect(eventsOf(res.body).at(-1)).toMatchObject({ event: "outcome", data: { ok: false, reason } });
  });

  test("an upstream error before the stream opens answers as the non-streamed call does", async () => {
    fake.script({ kind: "error", status: 400, message: "bad input" });
    const res = await send(app, "POST", "/subjects/invoice/generate", { input: "x", stream: true });
    expect(res.statusCode).toBe(502);
    expect(res.json()).toMatchObject({ code: "SR_OPENAI_REJECTED" });
  });

  test("idempotencyKey cannot be combined with stream", async () => {
    const res = await send(app, "POST", "/subjects/invoice/generate", {
      input: "x",
      stream: true,
      idempotencyKey: "k",
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: "SR_INVALID_REQUEST" });
  });

  test("a client that disconnects aborts the upstream stream; nothing is judged or quarantined", async () => {
    // An output that would be rejected and quarantined if the stream ran to its end.
    const bad = '{"total": "lots and lots", "currency": "EUR"}';
    fake.script({ kind: "stream", of: { kind: "ok", text: bad }, chunk: 1, gapMs: 30 });
    const address = await app.listen({ port: 0, host: "127.0.0.1" });
    await leaveAfterFirstPartial(`${address}/subjects/invoice/generate`, { input: "x", stream: true });
    // The upstream request is released (its in-flight permit returns) and the output is never judged.
    const until = Date.now() + 5000;
    while (world.responses.inFlight > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(world.responses.inFlight).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect((await world.quarantine.list({ subject: "invoice", limit: 10 })).items).toHaveLength(0);
    const metrics = (await app.inject({ method: "GET", url: "/metrics" })).body;
    expect(metrics).toContain('structreg_streams_ended_total{subject="invoice",result="disconnected"} 1');
  });
});
