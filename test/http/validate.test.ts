import { createHash } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { QuarantineStore } from "../../src/app/ports.js";
import { send } from "./helpers.js";
import { GOOD, validateApp } from "./validate-fixtures.js";

let app: FastifyInstance;
let store: QuarantineStore;

beforeEach(async () => {
  ({ app, store } = await validateApp());
});
afterEach(async () => {
  await app.close();
});

const validate = (body: unknown, subject = "tickets") =>
  send(app, "POST", `/subjects/${subject}/validate`, body);

function responses(fields: Record<string, unknown>): Record<string, unknown> {
  return { id: "resp_1", object: "response", status: "completed", output_text: "", output: [], ...fields };
}

/** The 200 answer of a strict-track success on tickets v1 with a caller's key. */
function strictSuccess(data: unknown, key: string): Record<string, unknown> {
  const fields = { subject: "tickets", version: 1, targetVersion: 1, resolution: "latest" };
  return { ok: true, ...fields, track: "strict", data, repairs: [], key, keyGenerated: false };
}

describe("POST /subjects/{s}/validate", () => {
  test("answers 200 with the success outcome", async () => {
    const res = await validate({ output: GOOD, key: "user-1" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(strictSuccess({ name: "a", status: "open", count: 1 }, "user-1"));
  });

  test("a strict success embeds the output's text as data: the same JSON value, Confluent's media type", async () => {
    const text = '{ "name": "a",\n  "status": "open", "count": 1e0 }';
    const res = await validate({ output: text, key: 'k"1' });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("application/vnd.schemaregistry.v1+json");
    expect(res.body).toContain(`"data":${text}`);
    expect(res.json()).toEqual(strictSuccess(JSON.parse(text), 'k"1'));
    // The next answer of the subject reuses the serialised constant part and still carries its own key.
    const again = await validate({ output: GOOD });
    expect(again.json()).toMatchObject({ ok: true, keyGenerated: true, data: JSON.parse(GOOD) });
  });

  test("accepts a parsed value and a pinned version", async () => {
    const res = await validate({ output: { name: "a", status: "Closed", count: "2" }, version: 1 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ track: "tolerant", resolution: "pinned", keyGenerated: true });
  });

  test("answers 422 with the failure, its error code and a quarantineId that reads back", async () => {
    const res = await validate({ output: '{"name":"a"}' });
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body).toMatchObject({
      error_code: 42210,
      code: "SR_OUTPUT_REJECTED",
      message: expect.stringContaining("invalid"),
      ok: false,
      reason: "invalid",
      version: 1,
      quarantineId: expect.any(Number),
    });
    const sample = await send(app, "GET", `/quarantine/${body.quarantineId}`);
    expect(sample.statusCode).toBe(200);
    expect(sample.json()).toMatchObject({ raw: '{"name":"a"}', reason: "invalid", issues: body.issues });
  });

  test.each([
    ["an unknown subject", { output: GOOD }, "nope", 404, 40401],
    ["an unknown version", { output: GOOD, version: 7 }, "tickets", 404, 40402],
    ["a number output", { output: 3 }, "tickets", 400, 400],
    ["a null output", { output: null }, "tickets", 400, 400],
    ["a boolean output", { output: true }, "tickets", 400, 400],
    ["a missing output", {}, "tickets", 400, 400],
    ["a non-integer version", { output: GOOD, version: "x" }, "tickets", 400, 400],
  ])("refuses %s", async (_name, body, subject, status, errorCode) => {
    const res = await validate(body, subject);
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject({ error_code: errorCode });
  });

  test.each([
    [
      "refusal",
      responses({ output: [{ type: "message", content: [{ type: "refusal", refusal: "I can't help." }] }] }),
    ],
    [
      "incomplete",
      responses({
        status: "incomplete",
        incomplete_details: { reason: "max_output_tokens" },
        output_text: '{"name":"a',
      }),
    ],
    ["failed", responses({ status: "failed", error: { code: "server_error", message: "boom" } })],
  ])("answers a Responses API %s with its own reason", async (reason, output) => {
    const res = await validate({ output });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ reason, code: "SR_OUTPUT_REJECTED" });
  });

  test("reads output_text of a completed Responses API object", async () => {
    const res = await validate({ output: responses({ output_text: GOOD }) });
    expect(res.json()).toMatchObject({ ok: true, data: { name: "a" } });
  });
});

describe("hostile outputs get typed 422s, never 500", () => {
  test("10 MB of text is too_large, quarantined with a capped raw and the full hash", async () => {
    const text = "x".repeat(10 * 1024 * 1024);
    const res = await validate({ output: text });
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body.reason).toBe("too_large");
    const record = await store.get(body.quarantineId);
    expect(record).toMatchObject({
      rawBytes: text.length,
      truncated: true,
      rawSha256: createHash("sha256").update(text).digest("hex"),
    });
    expect(record?.raw.length).toBe(4096);
  });

  test.each([
    ["as text", (deep: string) => JSON.stringify(deep)],
    ["as a parsed value", (deep: string) => deep],
  ])("100,000 levels of nesting %s", async (_name, write) => {
    const deep = `${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}`;
    const res = await validate(`{"output":${write(deep)}}`);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      code: "SR_OUTPUT_REJECTED",
      ok: false,
      quarantineId: expect.any(Number),
    });
  });

  test("100,000 levels of nesting in a failed Responses object's error are not echoed", async () => {
    const deep = `${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}`;
    const res = await validate(`{"output":{"object":"response","status":"failed","error":${deep}}}`);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ reason: "failed", issues: [{ code: "response_failed" }] });
  });

  test.each([
    ["__proto__ in text", { output: '{"name":"a","status":"open","count":1,"__proto__":{"polluted":1}}' }],
    ["constructor in text", { output: '{"constructor":{"prototype":{"polluted":1}},"name":"a"}' }],
  ])("%s is data, and no prototype changes", async (_name, body) => {
    const res = await validate(body);
    expect([200, 422]).toContain(res.statusCode);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
  });

  test("__proto__ and constructor keys in a parsed value are data, and no prototype changes", async () => {
    const payload =
      '{"output":{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}},"name":"a","status":"open","count":1}}';
    const res = await validate(payload);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ track: "tolerant", data: { name: "a", status: "open", count: 1 } });
    expect(res.json().repairs.map((r: { path: string }) => r.path)).toEqual(["/__proto__", "/constructor"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("a lone surrogate is an invalid_unicode failure", async () => {
    const res = await validate(
      '{"output":"{\\"name\\":\\"\\\\ud800\\",\\"status\\":\\"open\\",\\"count\\":1}"}',
    );
    expect(res.statusCode).toBe(422);
    expect(res.json().issues).toEqual([expect.objectContaining({ code: "invalid_unicode", path: "/name" })]);
  });

  test("a lone surrogate in an already-parsed output (a JSON escape in the body) is an invalid_unicode failure too", async () => {
    const res = await validate('{"output":{"name":"\\udc00","status":"open","count":1}}');
    expect(res.statusCode).toBe(422);
    expect(res.json().issues).toEqual([expect.objectContaining({ code: "invalid_unicode", path: "/name" })]);
  });

  test("a huge number is an unsafe_number failure", async () => {
    const res = await validate({ output: '{"name":"a","status":"open","count":1e400}' });
    expect(res.statusCode).toBe(422);
    expect(res.json().issues).toEqual([expect.objectContaining({ code: "unsafe_number", path: "/count" })]);
  });

  test("a body over the validate limit is still a 413", async () => {
    const small = await validateApp({ validateBodyLimitBytes: 1024 });
    try {
      const res = await send(small.app, "POST", "/subjects/tickets/validate", { output: "x".repeat(2000) });
      expect(res.statusCode).toBe(413);
    } finally {
      await small.app.close();
    }
  });
});

describe("metrics", () => {
  test("counts validations, repairs, enum drift and quarantine size", async () => {
    await validate({ output: GOOD });
    await validate({ output: '{"name":"a","status":"Open","count":1}' });
    await validate({ output: '{"name":"a","status":"weird","count":1}' });
    const text = (await send(app, "GET", "/metrics")).body;
    expect(text).toContain(
      'structreg_validations_total{subject="tickets",version="1",track="strict",outcome="ok",reason=""} 1',
    );
    expect(text).toContain(
      'structreg_validations_total{subject="tickets",version="1",track="none",outcome="failed",reason="invalid"} 1',
    );
    expect(text).toContain('structreg_repairs_total{kind="enum_case"} 1');
    expect(text).toContain('structreg_enum_drift_total{subject="tickets",path="/status"} 1');
    expect(text).toContain('structreg_quarantine_samples{subject="tickets",status="open"} 1');
  });
});

describe("scopes", () => {
  test("validation needs read; replay needs write", async () => {
    const secured = await validateApp({
      tokens: [{ name: "reader", secret: "reader-secret-0123456789", scopes: ["read"] }],
    });
    try {
      const auth = { authorization: "Bearer reader-secret-0123456789" };
      const ok = await send(secured.app, "POST", "/subjects/tickets/validate", { output: GOOD }, auth);
      expect(ok.statusCode).toBe(200);
      const replay = await send(secured.app, "POST", "/subjects/tickets/quarantine/replay", {}, auth);
      expect(replay.statusCode).toBe(403);
    } finally {
      await secured.app.close();
    }
  });
});
