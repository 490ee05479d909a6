import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { StreamResponseEvent } from "../../src/app/stream-response.js";
import { createValidatingClient, type ValidatingClient } from "../../src/client/validating-client.js";
import { startTestRegistry, type TestRegistry } from "../cli/registry-server.js";
import { type FakeOpenAI, startFakeOpenAI } from "../helpers/fake-openai.js";
import type { FakeStreamStep } from "../helpers/fake-openai-stream.js";

const SCHEMA = {
  type: "object",
  properties: {
    title: { type: "string" },
    total: { type: "number" },
    currency: { type: "string", enum: ["EUR", "USD"] },
    lines: { type: "array", items: { type: "string" } },
  },
  required: ["title", "total", "currency", "lines"],
  additionalProperties: false,
};
const OUTPUT = { title: 'Café "Zürich" 😀 \\ done', total: 1234.5, currency: "EUR", lines: ["a", "bé"] };
const TEXT = JSON.stringify(OUTPUT);

let server: TestRegistry;
let fake: FakeOpenAI;
let client: ValidatingClient;
let openai: OpenAI;

beforeAll(async () => {
  server = await startTestRegistry();
  await server.registry.register("bill", SCHEMA as never);
  fake = await startFakeOpenAI();
  client = createValidatingClient({ url: server.url, randomKey: () => "generated" });
  openai = new OpenAI({ apiKey: fake.apiKey, baseURL: fake.baseURL, maxRetries: 0 });
});

afterAll(async () => {
  await client.close();
  await fake.close();
  await server.close();
});

/** Opens a real SDK stream answered by `step` and collects what streamResponse yields. */
async function run(step: FakeStreamStep): Promise<{ partials: unknown[]; events: StreamResponseEvent[] }> {
  fake.script(step);
  const stream = await openai.responses.create({ model: "gpt-4.1-mini", input: "x", stream: true });
  const events: StreamResponseEvent[] = [];
  const partials: unknown[] = [];
  for await (const event of client.streamResponse("bill", stream, { key: "u1" })) {
    events.push(event);
    if (event.type === "partial") partials.push(structuredClone(event.partial.value));
  }
  return { partials, events };
}

function outcomeOf(events: StreamResponseEvent[]) {
  const last = events.at(-1);
  expect(last?.type).toBe("outcome");
  expect(events.filter((e) => e.type === "outcome")).toHaveLength(1);
  return last?.type === "outcome" ? last.outcome : undefined;
}

describe("streamResponse through the real openai SDK", () => {
  test("partials form as the deltas arrive; the outcome is the one validate gives for the whole text", async () => {
    const { partials, events } = await run({ kind: "stream", of: { kind: "ok", text: TEXT }, chunk: 3 });
    expect(partials.length).toBeGreaterThan(5);
    // The title was shown as it formed: some partial holds a proper prefix of it.
    const titles = partials.map((p) => (p as { title?: string }).title ?? "");
    expect(titles.some((t) => t.length > 0 && t !== OUTPUT.title && OUTPUT.title.startsWith(t))).toBe(true);
    expect(partials.at(-1)).toEqual(OUTPUT);
    const first = events[0];
    expect(first?.type === "partial" && first.version).toBe(1);
    expect(outcomeOf(events)).toEqual(await client.validate("bill", TEXT, { key: "u1" }));
  });

  test("deltas split inside escapes, numbers and multi-byte characters give the same outcome", async () => {
    const cuts = [
      TEXT.indexOf("\\") + 1,
      TEXT.indexOf("😀") + 1,
      TEXT.indexOf("1234") + 2,
      TEXT.indexOf("é") + 1,
    ];
    const deltas: string[] = [];
    let from = 0;
    for (const at of cuts.sort((a, b) => a - b)) {
      deltas.push(TEXT.slice(from, at));
      from = at;
    }
    deltas.push(TEXT.slice(from));
    const { partials, events } = await run({ kind: "stream", of: { kind: "ok", text: TEXT }, deltas });
    for (const p of partials) {
      const title = (p as { title?: string }).title;
      if (title !== undefined) expect(OUTPUT.title.startsWith(title)).toBe(true);
      expect((p as { total?: number }).total ?? 1234.5).toBe(1234.5);
    }
    expect(outcomeOf(events)).toMatchObject({ ok: true, track: "strict", data: OUTPUT });
  });

  test("duplicated and out-of-order events never change the text", async () => {
    const { events } = await run({
      kind: "stream",
      of: { kind: "ok", text: TEXT },
      chunk: 4,
      duplicate: [4, 6, 9],
      swap: [
        [5, 7],
        [10, 11],
      ],
    });
    expect(outcomeOf(events)).toMatchObject({ ok: true, track: "strict", data: OUTPUT });
  });

  test.each([
    ["a refusal", { kind: "refusal", refusal: "I can't help with that." }, "refusal"],
    ["an incomplete response", { kind: "incomplete", text: TEXT.slice(0, 30) }, "incomplete"],
    ["a failed response", { kind: "failed", code: "server_error" }, "failed"],
  ] as const)("%s ends as its typed outcome", async (_name, of, reason) => {
    const { events } = await run({ kind: "stream", of });
    expect(outcomeOf(events)).toMatchObject({ ok: false, reason });
  });

  test("an error event ends as a failed outcome carrying its code", async () => {
    const { events } = await run({
      kind: "stream",
      of: { kind: "ok", text: TEXT },
      error: { code: "server_error", message: "The server had an error" },
    });
    const outcome = outcomeOf(events);
    expect(outcome).toMatchObject({ ok: false, reason: "failed" });
    expect(JSON.stringify(outcome)).toContain("server_error");
  });

  test("a connection cut mid-stream ends as stream_interrupted with the text so far, no second call", async () => {
    const before = fake.requests.length;
    const { partials, events } = await run({
      kind: "stream",
      of: { kind: "ok", text: TEXT },
      chunk: 5,
      cutAfter: 8,
    });
    expect(partials.length).toBeGreaterThan(0);
    const outcome = outcomeOf(events);
    expect(outcome).toMatchObject({ ok: false, reason: "failed" });
    const error = outcome?.ok === false ? outcome.issues[0] : undefined;
    expect(error).toMatchObject({ code: "response_failed", error: { code: "stream_interrupted" } });
    const partialText = (error as { error: { text: string } }).error.text;
    expect(TEXT.startsWith(partialText)).toBe(true);
    expect(partialText.length).toBeGreaterThan(0);
    expect(fake.requests.length).toBe(before + 1);
  });

  test("an event that never arrives ends as stream_interrupted instead of waiting forever", async () => {
    const { events } = await run({ kind: "stream", of: { kind: "ok", text: TEXT }, drop: [5] });
    const outcome = outcomeOf(events);
    expect(JSON.stringify(outcome)).toContain("stream_interrupted");
  });

  test("the SDK's responses.stream() helper works the same", async () => {
    fake.script({ kind: "stream", of: { kind: "ok", text: TEXT } });
    const stream = openai.responses.stream({ model: "gpt-4.1-mini", input: "x" });
    let outcome: unknown;
    for await (const event of client.streamResponse("bill", stream))
      if (event.type === "outcome") outcome = event.outcome;
    expect(outcome).toMatchObject({ ok: true, data: OUTPUT });
  });

  test("a consumer that stops early aborts the upstream request", async () => {
    fake.script({ kind: "stream", of: { kind: "ok", text: TEXT }, chunk: 2, gapMs: 20 });
    const stream = await openai.responses.create({ model: "gpt-4.1-mini", input: "x", stream: true });
    for await (const event of client.streamResponse("bill", stream)) if (event.type === "partial") break;
    expect(stream.controller.signal.aborted).toBe(true);
  });
});

describe("resuming a broken stream", () => {
  const resume = (id: string, after: number) =>
    openai.responses.retrieve(id, { stream: true, starting_after: after });

  async function runResumable(
    step: FakeStreamStep,
    options: { maxResumes?: number; resumeBudgetMs?: number } = {},
  ) {
    fake.script(step);
    const before = fake.requests.length;
    // Only background responses can be resumed (the Responses API's rule, which the fake keeps).
    const stream = await openai.responses.create({
      model: "gpt-4.1-mini",
      input: "x",
      stream: true,
      background: true,
    });
    const texts: string[] = [];
    let last: StreamResponseEvent | undefined;
    for await (const event of client.streamResponse("bill", stream, { resume, ...options })) {
      last = event;
      if (event.type === "partial") texts.push(JSON.stringify(event.partial.value));
    }
    return { last, texts, requests: fake.requests.slice(before) };
  }

  test("a connection cut mid-stream resumes after the last applied event, without duplicates", async () => {
    const { last, requests } = await runResumable({
      kind: "stream",
      of: { kind: "ok", text: TEXT },
      chunk: 4,
      cutAfter: 9,
      // The resumed stream replays an event and swaps two: still applied exactly once, in order.
      resumes: [{ duplicate: [12], swap: [[13, 14]] }],
    });
    expect(last).toMatchObject({
      type: "outcome",
      resumes: 1,
      outcome: { ok: true, track: "strict", data: OUTPUT },
    });
    expect(requests.map((r) => r.path.split("?")[0])).toEqual([
      "/v1/responses",
      expect.stringMatching(/^\/v1\/responses\/resp_/),
    ]);
    const query = new URL(requests[1]!.path, "http://x").searchParams;
    expect(query.get("stream")).toBe("true");
    expect(query.get("starting_after")).toBe("8");
  });

  test("a response created without background cannot be resumed: the stream ends as stream_interrupted", async () => {
    fake.script({ kind: "stream", of: { kind: "ok", text: TEXT }, cutAfter: 6 });
    const stream = await openai.responses.create({ model: "gpt-4.1-mini", input: "x", stream: true });
    let last: StreamResponseEvent | undefined;
    for await (const event of client.streamResponse("bill", stream, { resume })) last = event;
    expect(JSON.stringify(last)).toContain("stream_interrupted");
    expect(JSON.stringify(last)).toContain("not found");
  });

  test("a stream cut again on every resume gives up after maxResumes with the text so far", async () => {
    const { last, requests } = await runResumable(
      {
        kind: "stream",
        of: { kind: "ok", text: TEXT },
        chunk: 4,
        cutAfter: 6,
        resumes: [{ cutAfter: 2 }, { cutAfter: 2 }, { cutAfter: 2 }],
      },
      { maxResumes: 2 },
    );
    expect(last).toMatchObject({ type: "outcome", resumes: 2, outcome: { ok: false, reason: "failed" } });
    const error =
      last?.type === "outcome" && !last.outcome.ok
        ? (last.outcome.issues[0] as { error: Record<string, unknown> }).error
        : {};
    expect(error).toMatchObject({ code: "stream_interrupted", resumes: 2, lastSequenceNumber: 9 });
    expect(TEXT.startsWith(String(error.text))).toBe(true);
    expect(String(error.message)).toContain("gave up after 2 resumes");
    // Never a second generation: one POST, then only resumes.
    expect(requests.filter((r) => r.path === "/v1/responses")).toHaveLength(1);
  });

  test("a response that cannot be resumed ends as stream_interrupted, saying why", async () => {
    const { last, requests } = await runResumable({
      kind: "stream",
      of: { kind: "ok", text: TEXT },
      cutAfter: 6,
      resumes: false,
    });
    expect(JSON.stringify(last)).toContain("stream_interrupted");
    expect(JSON.stringify(last)).toContain("resuming failed");
    expect(requests).toHaveLength(2);
  });

  test("no resume starts once the budget is spent", async () => {
    const { last, requests } = await runResumable(
      { kind: "stream", of: { kind: "ok", text: TEXT }, cutAfter: 6 },
      { resumeBudgetMs: 0 },
    );
    expect(JSON.stringify(last)).toContain("the resume budget is spent");
    expect(requests).toHaveLength(1);
  });
});
