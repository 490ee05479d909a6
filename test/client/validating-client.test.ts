import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createValidatingClient } from "../../src/client/validating-client.js";
import type { JsonObject } from "../../src/core/json.js";
import { startTestRegistry, type TestRegistry } from "../cli/registry-server.js";
import { countingFetch } from "./counting-fetch.js";

const V1 = {
  type: "object",
  properties: {
    label: { type: "string", enum: ["bug", "feature"] },
    score: { type: "integer" },
  },
  required: ["label", "score"],
  additionalProperties: false,
};
const V2 = {
  ...V1,
  properties: { ...V1.properties, label: { type: "string", enum: ["bug", "feature", "question"] } },
};

let server: TestRegistry;
beforeAll(async () => {
  server = await startTestRegistry();
});
afterAll(async () => {
  await server.close();
});

let counter = 0;
async function subjectWith(...schemas: JsonObject[]): Promise<string> {
  counter += 1;
  const s = `validating-client-${counter}`;
  // Tests register breaking versions on purpose (to exercise fallback).
  await server.registry.setConfig(s, { compatibility: "NONE" });
  for (const schema of schemas) await server.registry.register(s, schema);
  return s;
}

function client(options: { ttlMs?: number; clock?: () => number; reportBadCases?: boolean } = {}) {
  const net = countingFetch();
  const c = createValidatingClient({
    url: server.url,
    fetch: net.fetch,
    randomKey: () => "generated",
    ...options,
  });
  return { client: c, net };
}

describe("createValidatingClient", () => {
  test("accepts valid output on the strict track against the latest version", async () => {
    const s = await subjectWith(V1, V2);
    const { client: c } = client();
    const outcome = await c.validate(s, '{"label":"question","score":3}', { key: "user-1" });
    expect(outcome).toMatchObject({
      ok: true,
      version: 2,
      targetVersion: 2,
      resolution: "latest",
      track: "strict",
      data: { label: "question", score: 3 },
      repairs: [],
      key: "user-1",
      keyGenerated: false,
    });
  });

  test("makes no HTTP request per output once warm", async () => {
    const s = await subjectWith(V1);
    const { client: c, net } = client({ ttlMs: 60_000 });
    await c.validate(s, '{"label":"bug","score":1}');
    const warm = net.requests.length;
    for (let i = 0; i < 50; i++) await c.validate(s, `{"label":"bug","score":${i}}`);
    expect(net.requests.length).toBe(warm);
  });

  test("repairs on the tolerant track and reports each repair", async () => {
    const s = await subjectWith(V1);
    const { client: c } = client();
    const outcome = await c.validate(s, 'Sure: ```json\n{"label": "BUG", "score": "2"}\n```');
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.track).toBe("tolerant");
    expect(outcome.data).toEqual({ label: "bug", score: 2 });
    expect(outcome.repairs.map((r) => r.kind)).toEqual([
      "extracted_fence",
      "enum_case",
      "number_from_string",
    ]);
  });

  test("falls back to an older version the output matches", async () => {
    const v2 = {
      ...V1,
      properties: { ...V1.properties, priority: { type: "string" } },
      required: ["label", "score", "priority"],
    };
    const s = await subjectWith(V1, v2);
    const { client: c } = client();
    const outcome = await c.validate(s, '{"label":"bug","score":7}');
    expect(outcome).toMatchObject({ ok: true, track: "fallback", matchedVersion: 1, targetVersion: 2 });
  });

  test("answers a rejection as a value, with issues and no quarantine id", async () => {
    const s = await subjectWith(V1);
    const { client: c } = client();
    const outcome = await c.validate(s, '{"label":"bug"}');
    expect(outcome).toMatchObject({ ok: false, reason: "invalid", version: 1 });
    if (outcome.ok) return;
    expect(outcome.issues).toContainEqual(
      expect.objectContaining({ code: "missing_property", path: "/score" }),
    );
    expect(outcome.quarantineId).toBeUndefined();
  });

  test("validates against a pinned version (falling back to the newer one this output matches)", async () => {
    const s = await subjectWith(V1, V2);
    const { client: c } = client();
    const outcome = await c.validate(s, '{"label":"question","score":1}', { version: 1 });
    expect(outcome).toMatchObject({ ok: true, targetVersion: 1, resolution: "pinned", matchedVersion: 2 });
    const strict = await c.validate(s, '{"label":"bug","score":1}', { version: 1 });
    expect(strict).toMatchObject({ ok: true, version: 1, track: "strict", resolution: "pinned" });
  });

  test("recognises a refusal in a Responses API response", async () => {
    const s = await subjectWith(V1);
    const { client: c } = client();
    const response = {
      object: "response",
      status: "completed",
      output: [{ type: "message", content: [{ type: "refusal", refusal: "I can't help with that." }] }],
    };
    expect(await c.validate(s, response)).toMatchObject({ ok: false, reason: "refusal" });
  });

  test.each([
    ["an unknown subject", "no-such-subject", undefined, "SR_SUBJECT_NOT_FOUND"],
    ["an unknown version", "", 9, "SR_VERSION_NOT_FOUND"],
  ])("throws for %s", async (_name, name, version, code) => {
    const s = name === "" ? await subjectWith(V1) : name;
    const { client: c } = client();
    const options = version === undefined ? {} : { version };
    await expect(c.validate(s, "{}", options)).rejects.toMatchObject({ code });
  });

  test("keeps validating a known subject while the registry is down", async () => {
    const s = await subjectWith(V1);
    let now = 0;
    const { client: c, net } = client({ ttlMs: 100, clock: () => now });
    await c.validate(s, '{"label":"bug","score":1}');
    net.fail = true;
    now = 10_000;
    const outcome = await c.validate(s, '{"label":"bug","score":2}');
    await c.source.settled();
    expect(outcome.ok).toBe(true);
    expect(c.source.lastError?.code).toBe("SR_SERVER_UNREACHABLE");
    expect((await c.validate(s, '{"label":"feature","score":3}')).ok).toBe(true);
  });

  test("parser() compiles a version once and skips DISABLED versions for latest", async () => {
    const s = await subjectWith(V1, V2);
    await server.registry.setVersionState(s, 2, "DISABLED");
    const { client: c } = client();
    const latest = await c.parser(s);
    expect(latest.schema).toEqual(V1);
    expect(await c.parser(s, 1)).toBe(latest);
    expect((await c.parser(s, 2)).schema).toEqual(V2);
    await expect(c.parser(s, 7)).rejects.toMatchObject({ code: "SR_VERSION_NOT_FOUND" });
    await expect(c.parser("no-such-subject")).rejects.toMatchObject({ code: "SR_SUBJECT_NOT_FOUND" });
  });

  test("with reportBadCases posts each failure to the registry, pinned to its target, without waiting", async () => {
    const s = await subjectWith(V1);
    const { client: c, net } = client({ reportBadCases: true });
    const bad = await c.validate(s, '{"label":"nope"}', { key: "req-9" });
    expect(bad.ok).toBe(false);
    await c.validate(s, '{"label":"bug","score":1}');
    await c.close();
    const posts = net.requests.filter((r) => r.method === "POST");
    expect(posts).toHaveLength(1);
    expect(posts[0]?.path).toBe(`/subjects/${s}/validate`);
    expect(JSON.parse(posts[0]?.body ?? "")).toEqual({
      output: '{"label":"nope"}',
      version: 1,
      key: "req-9",
    });
  });

  test("a failed bad-case report is recorded, never thrown", async () => {
    const s = await subjectWith(V1);
    const { client: c, net } = client({ reportBadCases: true });
    await c.validate(s, '{"label":"bug","score":1}');
    net.fail = true;
    const outcome = await c.validate(s, "not json at all");
    await c.close();
    expect(outcome.ok).toBe(false);
    expect(c.lastReportError?.code).toBe("SR_SERVER_UNREACHABLE");
  });

  test("validateNow() answers what validate() answers: at once once the subject is cached, else a promise", async () => {
    const s = await subjectWith(V1, V2);
    const { client: c } = client();
    const first = c.validateNow(s, '{"label":"bug","score":1}', { key: "k" });
    expect(first).toBeInstanceOf(Promise);
    const later = await c.validate(s, '{"label":"bug","score":1}', { key: "k" });
    expect(JSON.stringify(await first)).toBe(JSON.stringify(later));
    const now = c.validateNow(s, '{"label":"bug","score":1}', { key: "k" });
    expect(now).not.toBeInstanceOf(Promise);
    expect(JSON.stringify(now)).toBe(JSON.stringify(later));
    expect(c.validateNow(s, '{"label":"bug","score":1}', { version: 1 })).toMatchObject({
      resolution: "pinned",
      key: "generated",
    });
    // Failures wait (fallback, quarantine, bad-case reports).
    const failed = c.validateNow(s, "no json", { key: "k" });
    expect(failed).toBeInstanceOf(Promise);
    expect(await failed).toMatchObject({ ok: false, reason: "no_json" });
    await c.close();
  });

  test("validateNow() reports a bad case like validate() when reporting is on", async () => {
    const s = await subjectWith(V1);
    const { client: c, net } = client({ reportBadCases: true });
    await c.validate(s, '{"label":"bug","score":1}');
    expect(c.validateNow(s, '{"label":"bug","score":2}', { key: "k" })).toMatchObject({ ok: true });
    const outcome = await c.validateNow(s, "not json at all", { key: "k" });
    await c.close();
    expect(outcome.ok).toBe(false);
    // This test registry serves no validate route: what matters is the one POST made, for the failure only.
    const posts = net.requests.filter((r) => r.method === "POST");
    expect(posts.map((p) => JSON.parse(p.body ?? ""))).toEqual([
      { output: "not json at all", version: 1, key: "k" },
    ]);
  });
});
