import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createMemorySchemaStore } from "../../src/adapters/storage/memory-schema-store.js";
import { createGenerationService } from "../../src/app/generation.js";
import { createLocalVersionSource } from "../../src/app/local-version-source.js";
import { createValidationService } from "../../src/app/validation.js";
import { isStructregError } from "../../src/core/errors.js";
import { type FakeOpenAI, startFakeOpenAI } from "../helpers/fake-openai.js";
import { type GenerationWorld, generationWorld, INVOICE_V1, INVOICE_V2 } from "./generation-fixtures.js";

let fake: FakeOpenAI;
let world: GenerationWorld | undefined;

beforeEach(async () => {
  fake = await startFakeOpenAI({ defaultOutput: { total: 12.5, currency: "EUR" } });
});

afterEach(async () => {
  await world?.close();
  world = undefined;
  await fake.close();
});

async function build(options: Parameters<typeof generationWorld>[1] = {}): Promise<GenerationWorld> {
  world = await generationWorld(fake, options);
  return world;
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (err) {
    return isStructregError(err) ? err.code : String(err);
  }
}

describe("generate", () => {
  test("sends the provider form as a strict json_schema text format and returns a validated object", async () => {
    const { generation } = await build();
    const outcome = await generation.generate("invoice", {
      input: "Invoice: 12.50 EUR",
      instructions: "Extract.",
    });
    expect(outcome).toMatchObject({
      ok: true,
      subject: "invoice",
      version: 1,
      resolution: "latest",
      track: "strict",
      data: { total: 12.5, currency: "EUR" },
      requestId: "req_fake_1",
      model: "gpt-4.1-mini",
      attempts: 1,
      usage: { input_tokens: 37, total_tokens: expect.any(Number) },
    });
    const sent = fake.requests[0]!.body;
    expect(sent).toMatchObject({
      model: "gpt-4.1-mini",
      input: "Invoice: 12.50 EUR",
      instructions: "Extract.",
    });
    const { "x-owner": _annotation, ...provider } = INVOICE_V1;
    expect(sent.text).toEqual({
      format: { type: "json_schema", name: "invoice_v1", strict: true, schema: provider },
    });
  });

  test("quarantines a bad output and answers it as a typed failure", async () => {
    const { generation, quarantine } = await build();
    fake.script({ kind: "ok", text: '{"total": "a lot", "currency": "GBP"}' });
    const outcome = await generation.generate("invoice", { input: "x", key: "user-7" });
    expect(outcome).toMatchObject({
      ok: false,
      reason: "invalid",
      version: 1,
      requestId: "req_fake_1",
      key: "user-7",
    });
    if (outcome.ok) throw new Error("expected a failure");
    expect(outcome.quarantineId).toEqual(expect.any(Number));
    const sample = await quarantine.get(outcome.quarantineId!);
    expect(sample).toMatchObject({ subject: "invoice", key: "user-7", status: "open" });
  });

  test("repairs slightly malformed output text on the tolerant track", async () => {
    const { generation } = await build();
    fake.script({ kind: "ok", text: '```json\n{"total": 3, "currency": "eur",}\n```' });
    const outcome = await generation.generate("invoice", { input: "x" });
    expect(outcome).toMatchObject({ ok: true, track: "tolerant", data: { total: 3, currency: "EUR" } });
  });

  test.each([
    ["refusal", { kind: "refusal" } as const],
    ["incomplete", { kind: "incomplete", reason: "max_output_tokens", text: '{"total": 1' } as const],
    ["failed", { kind: "failed" } as const],
  ])("a %s response is a typed outcome, never passed off as valid", async (reason, step) => {
    const { generation } = await build();
    fake.script(step);
    const outcome = await generation.generate("invoice", { input: "x", maxOutputTokens: 5 });
    expect(outcome).toMatchObject({ ok: false, reason, requestId: "req_fake_1", attempts: 1 });
    expect(fake.requests[0]!.body.max_output_tokens).toBe(5);
  });

  test("pins a version, else follows the rollout decision", async () => {
    const rolled = await build({
      schemas: [INVOICE_V1, INVOICE_V2],
      deps: {
        resolveTarget: (_s, key) => ({ version: key === "canary" ? 2 : 1, resolution: "rollout:stable" }),
      },
    });
    const pinned = await rolled.generation.generate("invoice", { input: "x", version: 2 });
    expect(pinned).toMatchObject({ version: 2, resolution: "pinned" });
    const stable = await rolled.generation.generate("invoice", { input: "x", key: "someone" });
    expect(stable).toMatchObject({
      version: 1,
      resolution: "rollout:stable",
      key: "someone",
      keyGenerated: false,
    });
    expect(fake.requests.map((r) => (r.body.text as { format: { name: string } }).format.name)).toEqual([
      "invoice_v2",
      "invoice_v1",
    ]);
  });

  test("an unknown subject is SR_SUBJECT_NOT_FOUND and calls nothing upstream", async () => {
    const { generation } = await build();
    expect(await codeOf(generation.generate("nope", { input: "x" }))).toBe("SR_SUBJECT_NOT_FOUND");
    expect(fake.requests).toHaveLength(0);
  });

  test("without an OpenAI client, generate is SR_OPENAI_NOT_CONFIGURED and textFormat still works", async () => {
    const store = createMemorySchemaStore();
    const { createRegistryService } = await import("../../src/app/registry.js");
    await createRegistryService({ store }).register("invoice", INVOICE_V1 as never);
    const versions = createLocalVersionSource(store);
    const generation = createGenerationService({
      versions,
      validation: createValidationService({ versions, now: () => new Date(), randomKey: () => "k" }),
      responses: undefined,
      defaultModel: "m",
      budgetMs: 1000,
      idempotencyWindowMs: 0,
      now: () => 0,
      randomKey: () => "k",
    });
    expect(await codeOf(generation.generate("invoice", { input: "x" }))).toBe("SR_OPENAI_NOT_CONFIGURED");
    const { format, version } = await generation.textFormat("invoice");
    expect(version).toBe(1);
    expect(format).toMatchObject({ type: "json_schema", name: "invoice_v1", strict: true });
    expect(format.schema).not.toHaveProperty("x-owner");
  });
});

describe("idempotency", () => {
  test("the same idempotencyKey makes one upstream call and returns the same result", async () => {
    const { generation } = await build();
    const first = await generation.generate("invoice", { input: "x", idempotencyKey: "abc" });
    const second = await generation.generate("invoice", { input: "x", idempotencyKey: "abc" });
    expect(fake.requests).toHaveLength(1);
    expect(second).toEqual({ ...first, replayed: true });
  });

  test("concurrent duplicates share one upstream call", async () => {
    const { generation } = await build();
    fake.fallback = () => ({ kind: "ok", output: { total: 1, currency: "USD" }, delayMs: 100 });
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () => generation.generate("invoice", { input: "x", idempotencyKey: "dup" })),
    );
    expect(fake.requests).toHaveLength(1);
    expect(new Set(outcomes.map((o) => o.requestId))).toEqual(new Set(["req_fake_1"]));
    expect(outcomes.filter((o) => o.replayed === true)).toHaveLength(4);
  });

  test("the same key with a different request is SR_IDEMPOTENCY_CONFLICT", async () => {
    const { generation } = await build();
    await generation.generate("invoice", { input: "x", idempotencyKey: "k1" });
    expect(await codeOf(generation.generate("invoice", { input: "y", idempotencyKey: "k1" }))).toBe(
      "SR_IDEMPOTENCY_CONFLICT",
    );
  });

  test("a call that failed is not remembered: the same key tries again", async () => {
    const { generation } = await build();
    fake.script({ kind: "error", status: 400 });
    expect(await codeOf(generation.generate("invoice", { input: "x", idempotencyKey: "k2" }))).toBe(
      "SR_OPENAI_REJECTED",
    );
    const outcome = await generation.generate("invoice", { input: "x", idempotencyKey: "k2" });
    expect(outcome.ok).toBe(true);
    expect(fake.requests).toHaveLength(2);
  });
});

describe("degrading while the breaker is open", () => {
  const openai = { breakerMinCalls: 3, breakerCooldownMs: 60_000, maxRetries: 0 };

  test("fails fast with SR_OPENAI_CIRCUIT_OPEN when the subject has no fallback", async () => {
    const { generation } = await build({ openai });
    fake.fallback = () => ({ kind: "error", status: 500 });
    for (let i = 0; i < 3; i++) await codeOf(generation.generate("invoice", { input: "x" }));
    const before = fake.requests.length;
    expect(await codeOf(generation.generate("invoice", { input: "x" }))).toBe("SR_OPENAI_CIRCUIT_OPEN");
    expect(fake.requests).toHaveLength(before);
  });

  test("answers from the fallback model", async () => {
    const { generation } = await build({
      openai,
      deps: { subjects: { invoice: { model: "primary", fallbackModel: "backup" } } },
    });
    fake.fallback = (body) =>
      body.model === "primary"
        ? { kind: "error", status: 503 }
        : { kind: "ok", output: { total: 2, currency: "USD" } };
    for (let i = 0; i < 3; i++) await codeOf(generation.generate("invoice", { input: "x" }));
    const outcome = await generation.generate("invoice", { input: "x" });
    expect(outcome).toMatchObject({
      ok: true,
      model: "backup",
      degraded: "fallback_model",
      data: { total: 2 },
    });
  });

  test("answers the validated fallback value", async () => {
    const { generation } = await build({
      openai,
      deps: { subjects: { invoice: { fallbackValue: { total: 0, currency: "EUR" } } } },
    });
    fake.fallback = () => ({ kind: "reset" });
    for (let i = 0; i < 3; i++) await codeOf(generation.generate("invoice", { input: "x" }));
    const before = fake.requests.length;
    const outcome = await generation.generate("invoice", { input: "x" });
    expect(outcome).toMatchObject({
      ok: true,
      degraded: "fallback_value",
      data: { total: 0, currency: "EUR" },
      requestId: null,
      attempts: 0,
    });
    expect(fake.requests).toHaveLength(before);
  });
});
