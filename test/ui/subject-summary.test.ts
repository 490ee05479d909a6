import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Services } from "../../src/compose.js";
import { consoleApp } from "./helpers.js";

describe("GET /summary/subjects", () => {
  let app: FastifyInstance;
  let services: Services;

  beforeAll(async () => {
    ({ app, services } = await consoleApp());
    await services.registry.register("receipt", {
      type: "object",
      properties: { merchant: { type: "string" } },
      required: ["merchant"],
      additionalProperties: false,
    });
    await services.validation.validate("invoice", '{"total": 1, "currency": "EUR", "note": null}');
    await services.validation.validate("invoice", "nope");
  });
  afterAll(async () => {
    await app.close();
    await services.close();
  });

  test("answers one row per subject with figures", async () => {
    const response = await app.inject({ url: "/summary/subjects" });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.subjects.map((s: { subject: string }) => s.subject)).toEqual(["invoice", "receipt"]);
    expect(body.subjects[0]).toMatchObject({
      latest: { version: 3, state: "ENABLED" },
      compatibilityLevel: "BACKWARD",
      openBadCases: 1,
      validations: 2,
      failureRatePercent: 50,
      rollout: null,
    });
  });

  test.each([
    ["merchant", ["receipt"]],
    ["currency", ["invoice"]],
    ["rec", ["receipt"]],
    ["4", ["receipt"]],
    ["zzz", []],
  ])("q=%s finds %j (name, schema id or field name)", async (q, expected) => {
    const body = (await app.inject({ url: `/summary/subjects?q=${q}` })).json();
    expect(body.subjects.map((s: { subject: string }) => s.subject)).toEqual(expected);
  });

  test("sorts and refuses unknown sort keys like the rest of the API", async () => {
    const sorted = (await app.inject({ url: "/summary/subjects?sort=badCases&order=desc" })).json();
    expect(sorted.subjects[0].subject).toBe("invoice");
    const bad = await app.inject({ url: "/summary/subjects?sort=nope" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe("SR_INVALID_REQUEST");
  });

  test("is in the OpenAPI document; console pages are not", async () => {
    const doc = (await app.inject({ url: "/docs/json" })).json();
    expect(Object.keys(doc.paths)).toContain("/summary/subjects");
    expect(Object.keys(doc.paths).some((p) => p.startsWith("/ui"))).toBe(false);
  });
});
