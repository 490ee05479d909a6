import type { FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { type GenerationWorld, generationWorld } from "../../app/generation-fixtures.js";
import { type FakeOpenAI, startFakeOpenAI } from "../../helpers/fake-openai.js";
import { wasCancelled } from "../../helpers/fake-openai-stream.js";
import { send, testApp } from "../helpers.js";
import { eventsOf, leaveAfterFirstPartial } from "../sse-events.js";

let fake: FakeOpenAI;
let world: GenerationWorld;
let app: FastifyInstance;

const OUTPUT = { total: 1234.5, currency: "EUR" };
const TEXT = JSON.stringify(OUTPUT);

beforeEach(async () => {
  fake = await startFakeOpenAI();
  world = await generationWorld(fake, { openai: { streamBackground: true } });
  app = (await testApp({ registry: world.registry, generation: world.generation })).app;
});

afterEach(async () => {
  await app.close();
  await world.close();
  await fake.close();
});

/** Reads the answer as `curl -N` does: chunk by chunk as it arrives; returns the chunks. */
async function readLive(url: string, body: unknown, signal?: AbortSignal): Promise<string[]> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    ...(signal === undefined ? {} : { signal }),
  });
  expect(res.headers.get("content-type")).toContain("text/event-stream");
  const chunks: string[] = [];
  const decoder = new TextDecoder();
  for await (const chunk of res.body!) chunks.push(decoder.decode(chunk as Uint8Array, { stream: true }));
  return chunks;
}

describe("streamed generate with STRUCTREG_OPENAI_STREAM_BACKGROUND: resuming a cut upstream stream", () => {
  test("a cut upstream stream is resumed after the last applied event: partials, then an outcome without duplicates", async () => {
    // Cut after 10 events; the resumed stream replays one and swaps two: still applied exactly once.
    fake.script({
      kind: "stream",
      of: { kind: "ok", text: TEXT },
      chunk: 3,
      cutAfter: 10,
      resumes: [{ duplicate: [12], swap: [[13, 14]] }],
    });
    const address = await app.listen({ port: 0, host: "127.0.0.1" });
    const chunks = await readLive(`${address}/subjects/invoice/generate`, { input: "x", stream: true });
    const events = eventsOf(chunks.join(""));
    expect(events.filter((e) => e.event === "partial").length).toBeGreaterThan(2);
    expect(events.filter((e) => e.event === "outcome")).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({
      event: "outcome",
      data: { ok: true, track: "strict", data: OUTPUT },
    });

    const create = fake.requests[0]!;
    expect(create.body).toMatchObject({ stream: true, background: true, store: true });
    expect(fake.requests).toHaveLength(2);
    const resume = new URL(fake.requests[1]!.path, "http://x");
    expect(resume.pathname).toMatch(/^\/v1\/responses\/resp_/);
    expect(resume.searchParams.get("stream")).toBe("true");
    expect(resume.searchParams.get("starting_after")).toBe("9");
    const metrics = (await app.inject({ method: "GET", url: "/metrics" })).body;
    expect(metrics).toContain('structreg_streams_resumed_total{subject="invoice"} 1');
    expect(metrics).toContain('structreg_streams_ended_total{subject="invoice",result="ok"} 1');
    expect(world.responses.inFlight).toBe(0);
  });

  test("a stream cut on every resume ends as stream_interrupted, quarantined, and the response is cancelled", async () => {
    fake.script({
      kind: "stream",
      of: { kind: "ok", text: TEXT },
      chunk: 3,
      cutAfter: 8,
      resumes: [{ cutAfter: 2 }, { cutAfter: 2 }, { cutAfter: 2 }],
    });
    const res = await send(app, "POST", "/subjects/invoice/generate", { input: "x", stream: true });
    const outcome = eventsOf(res.body).at(-1)!;
    expect(outcome).toMatchObject({
      event: "outcome",
      data: { code: "SR_OUTPUT_REJECTED", ok: false, reason: "failed", quarantineId: expect.any(Number) },
    });
    const error = (outcome.data.issues as Array<{ error: Record<string, unknown> }>)[0]!.error;
    // The retry rules: as many resumes as STRUCTREG_OPENAI_MAX_RETRIES (2), then the text so far.
    expect(error).toMatchObject({ code: "stream_interrupted", resumes: 2 });
    expect(TEXT.startsWith(String(error.text))).toBe(true);
    expect((await world.quarantine.list({ subject: "invoice", limit: 10 })).items).toHaveLength(1);
    // Never a second generation: one create, two resumes, then the cancel of the abandoned response.
    const paths = fake.requests.map((r) => r.path.split("?")[0]!);
    expect(paths.filter((p) => p === "/v1/responses")).toHaveLength(1);
    expect(paths.filter((p) => /^\/v1\/responses\/resp_\w+$/.test(p))).toHaveLength(2);
    await waitFor(() => paths.length < fake.requests.length);
    expect(fake.requests.at(-1)!.path).toMatch(/^\/v1\/responses\/resp_\w+\/cancel$/);
    expect(wasCancelled(idOf(fake.requests.at(-1)!.path))).toBe(true);
    const metrics = (await app.inject({ method: "GET", url: "/metrics" })).body;
    expect(metrics).toContain('structreg_streams_ended_total{subject="invoice",result="interrupted"} 1');
  });

  test("a response that cannot be resumed (gone upstream) ends as stream_interrupted, saying why", async () => {
    fake.script({ kind: "stream", of: { kind: "ok", text: TEXT }, cutAfter: 6, resumes: false });
    const res = await send(app, "POST", "/subjects/invoice/generate", { input: "x", stream: true });
    const outcome = eventsOf(res.body).at(-1)!;
    expect(JSON.stringify(outcome.data)).toContain("stream_interrupted");
    expect(JSON.stringify(outcome.data)).toContain("not found");
    expect(fake.requests.filter((r) => r.path === "/v1/responses")).toHaveLength(1);
  });

  test("no resume starts once the call's budget, counted from the first cut, is spent", async () => {
    // The first resume trickles for ~1.6 s, past the 1.5 s budget of the test config, then is cut too.
    fake.script({
      kind: "stream",
      of: { kind: "ok", text: TEXT },
      chunk: 2,
      cutAfter: 6,
      resumes: [{ gapMs: 400, cutAfter: 4 }],
    });
    const res = await send(app, "POST", "/subjects/invoice/generate", { input: "x", stream: true });
    const outcome = eventsOf(res.body).at(-1)!;
    const error = (outcome.data.issues as Array<{ error: Record<string, unknown> }>)[0]!.error;
    expect(error).toMatchObject({ code: "stream_interrupted", resumes: 1 });
    expect(String(error.message)).toContain("the resume budget is spent");
    expect(fake.requests.filter((r) => r.path.includes("starting_after"))).toHaveLength(1);
  });

  test("a client that disconnects aborts the upstream stream and cancels the background response", async () => {
    fake.script({ kind: "stream", of: { kind: "ok", text: TEXT }, chunk: 1, gapMs: 30 });
    const address = await app.listen({ port: 0, host: "127.0.0.1" });
    await leaveAfterFirstPartial(`${address}/subjects/invoice/generate`, { input: "x", stream: true });
    await waitFor(() => fake.requests.some((r) => r.path.endsWith("/cancel")));
    const cancel = fake.requests.find((r) => r.path.endsWith("/cancel"))!;
    expect(wasCancelled(idOf(cancel.path))).toBe(true);
    await waitFor(() => world.responses.inFlight === 0);
    expect(world.responses.inFlight).toBe(0);
    expect((await world.quarantine.list({ subject: "invoice", limit: 10 })).items).toHaveLength(0);
  });
});

/** The response id in `/v1/responses/{id}/cancel`. */
function idOf(path: string): string {
  return path.split("/")[3]!;
}

/** Waits (at most 5 s) until `done()` holds. */
async function waitFor(done: () => boolean): Promise<void> {
  const until = Date.now() + 5000;
  while (!done() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
}
