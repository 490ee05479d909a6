import type { FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { RegistryService } from "../../src/app/registry-types.js";
import { send } from "./helpers.js";
import { TICKET, validateApp } from "./validate-fixtures.js";

let app: FastifyInstance;
let registry: RegistryService;

beforeEach(async () => {
  ({ app, registry } = await validateApp());
  for (const output of ['{"name":"a"}', "no json", '{"name":"b"}']) {
    await send(app, "POST", "/subjects/tickets/validate", { output });
  }
});
afterEach(async () => {
  await app.close();
});

describe("GET /subjects/{s}/quarantine", () => {
  test("lists samples newest first, paged by nextCursor", async () => {
    const first = await send(app, "GET", "/subjects/tickets/quarantine?limit=2");
    expect(first.statusCode).toBe(200);
    const page = first.json();
    expect(page.items.map((r: { id: number }) => r.id)).toEqual([3, 2]);
    expect(page.nextCursor).toBe(2);
    const next = (
      await send(app, "GET", `/subjects/tickets/quarantine?limit=2&cursor=${page.nextCursor}`)
    ).json();
    expect(next).toEqual({ items: [expect.objectContaining({ id: 1, raw: '{"name":"a"}' })] });
  });

  test.each([
    ["reason=no_json", [2]],
    ["status=resolved", []],
    ["version=1", [3, 2, 1]],
    ["since=2000-01-01T00:00:00Z", [3, 2, 1]],
    ["until=2000-01-01T00:00:00Z", []],
  ])("filters by %s", async (query, ids) => {
    const res = await send(app, "GET", `/subjects/tickets/quarantine?${query}`);
    expect(res.json().items.map((r: { id: number }) => r.id)).toEqual(ids);
  });

  test.each(["limit=0", "limit=1001", "reason=bogus", "since=yesterday", "cursor=x"])(
    "refuses %s with 400",
    async (query) => {
      const res = await send(app, "GET", `/subjects/tickets/quarantine?${query}`);
      expect(res.statusCode).toBe(400);
    },
  );
});

describe("GET /quarantine/{id}", () => {
  test("answers SR_SAMPLE_NOT_FOUND for an unknown id", async () => {
    const res = await send(app, "GET", "/quarantine/99");
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: "SR_SAMPLE_NOT_FOUND" });
  });
});

describe("GET /subjects/{s}/quarantine/export", () => {
  test("streams application/x-ndjson, one valid JSON object per line", async () => {
    const res = await send(app, "GET", "/subjects/tickets/quarantine/export?reason=invalid");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^application\/x-ndjson/);
    const lines = res.body
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.map((l) => [l.id, l.raw])).toEqual([
      [3, '{"name":"b"}'],
      [1, '{"name":"a"}'],
    ]);
  });
});

describe("POST /subjects/{s}/quarantine/replay", () => {
  test("replays open samples against a newer version and marks recovered ones resolved", async () => {
    await registry.setConfig("tickets", { compatibility: "NONE" });
    const looser = {
      ...TICKET,
      properties: {
        ...(TICKET.properties as object),
        status: { type: ["string", "null"], enum: ["open", "closed", null] },
        count: { type: ["integer", "null"] },
      },
    };
    await registry.register("tickets", looser);
    const res = await send(app, "POST", "/subjects/tickets/quarantine/replay", {});
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ replayed: 3, recovered: 2, stillFailing: 1 });
    const resolved = await send(app, "GET", "/subjects/tickets/quarantine?status=resolved");
    expect(resolved.json().items.map((r: { resolvedVersion: number }) => r.resolvedVersion)).toEqual([2, 2]);
  });

  test("replays against a pinned version, and 404s an unknown one", async () => {
    const res = await send(app, "POST", "/subjects/tickets/quarantine/replay", { version: 1, ids: [1] });
    expect(res.json()).toMatchObject({ replayed: 1, recovered: 0, stillFailing: 1 });
    const missing = await send(app, "POST", "/subjects/tickets/quarantine/replay", { version: 5 });
    expect(missing.json()).toMatchObject({ error_code: 40402 });
  });

  test("accepts a request without a body (with a JSON Content-Type), refuses one with neither", async () => {
    const url = "/subjects/tickets/quarantine/replay";
    const res = await app.inject({ method: "POST", url, headers: { "content-type": "application/json" } });
    expect(res.statusCode).toBe(200);
    const bare = await app.inject({ method: "POST", url });
    expect(bare.statusCode).toBe(415);
  });
});
