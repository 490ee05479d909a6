import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildApp } from "../../../src/http/app.js";
import { createRolloutHarness, type RolloutHarness } from "../../app/rollout-harness.js";

const SECRET = "s3cret-token-for-ops-team";
let harness: RolloutHarness;
let app: FastifyInstance;

beforeAll(async () => {
  harness = await createRolloutHarness();
  app = await buildApp({
    registry: harness.registry,
    rollout: { service: harness.rollout },
    options: {
      tokens: [
        { name: "ops", secret: SECRET, scopes: ["write"] },
        { name: "viewer", secret: "viewer-token-0123456789", scopes: ["read"] },
      ],
    },
  });
});
afterAll(async () => {
  await app.close();
  await harness.close();
});

const as = (secret: string) => ({ authorization: `Bearer ${secret}` });

describe("rollout routes", () => {
  test("PUT starts a rollout and the audit names the token", async () => {
    const put = await app.inject({
      method: "PUT",
      url: "/subjects/invoice/rollout",
      headers: { ...as(SECRET), "x-structreg-actor": "someone-else" },
      payload: { candidate: 3, percent: 10 },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({
      stable: 2,
      candidate: 3,
      percent: 10,
      updatedBy: "ops",
      figures: null,
    });
    const history = await app.inject({ url: "/subjects/invoice/rollout/history", headers: as(SECRET) });
    expect(history.json()[0]).toMatchObject({ action: "set", who: "ops" });
  });

  test("rollback needs no body (but a JSON Content-Type or X-Structreg-Request); a reason is optional", async () => {
    const bare = await app.inject({
      method: "POST",
      url: "/subjects/invoice/rollout/rollback",
      headers: { ...as(SECRET), "x-structreg-request": "1" },
    });
    expect(bare.statusCode).toBe(200);
    expect(bare.json()).toMatchObject({ stage: "rolled_back", percent: 0 });
    const withReason = await app.inject({
      method: "POST",
      url: "/subjects/invoice/rollout/rollback",
      headers: as(SECRET),
      payload: { reason: "v3 drops totals" },
    });
    expect(withReason.statusCode).toBe(200);
  });

  test("a JSON null body is not an empty one: refused, nothing changes", async () => {
    const before = (await app.inject({ url: "/subjects/invoice/rollout", headers: as(SECRET) })).json();
    const res = await app.inject({
      method: "POST",
      url: "/subjects/invoice/rollout/pause",
      headers: { ...as(SECRET), "content-type": "application/json" },
      payload: "null",
    });
    expect(res.statusCode).toBe(400);
    const after = (await app.inject({ url: "/subjects/invoice/rollout", headers: as(SECRET) })).json();
    expect(after.revision).toBe(before.revision);
  });

  test.each([
    ["a percent out of range", { candidate: 3, percent: 250 }, 422, "SR_ROLLOUT_INVALID_PERCENT"],
    ["a candidate that is not a version", { candidate: 7, percent: 5 }, 422, "SR_ROLLOUT_INVALID"],
    ["a stale revision", { candidate: 3, percent: 5, revision: 1 }, 409, "SR_ROLLOUT_CONFLICT"],
    ["an unknown field", { candidate: 3, percentage: 5 }, 400, "SR_INVALID_REQUEST"],
  ])("PUT refuses %s", async (_name, payload, status, code) => {
    const res = await app.inject({
      method: "PUT",
      url: "/subjects/invoice/rollout",
      headers: as(SECRET),
      payload,
    });
    expect(res.statusCode).toBe(status);
    expect(res.json().code).toBe(code);
  });

  test("reading needs the read scope, changing needs write", async () => {
    const read = await app.inject({
      url: "/subjects/invoice/rollout",
      headers: as("viewer-token-0123456789"),
    });
    expect(read.statusCode).toBe(200);
    const write = await app.inject({
      method: "POST",
      url: "/subjects/invoice/rollout/pause",
      headers: { ...as("viewer-token-0123456789"), "content-type": "application/json" },
    });
    expect(write.statusCode).toBe(403);
    expect((await app.inject({ url: "/subjects/invoice/rollout" })).statusCode).toBe(401);
  });

  test("unknown subjects answer 404 40401", async () => {
    const res = await app.inject({ url: "/subjects/nope/rollout/history", headers: as(SECRET) });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error_code: 40401, code: "SR_SUBJECT_NOT_FOUND" });
  });

  test("history pages by id", async () => {
    const all = (await app.inject({ url: "/subjects/invoice/rollout/history", headers: as(SECRET) })).json();
    const page = await app.inject({
      url: `/subjects/invoice/rollout/history?limit=1&before=${all[0].id}`,
      headers: as(SECRET),
    });
    expect(page.json()).toEqual([all[1]]);
  });
});
