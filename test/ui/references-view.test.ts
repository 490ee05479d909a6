import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Services } from "../../src/compose.js";
import { consoleApp } from "./helpers.js";

const MONEY = {
  type: "object",
  properties: { amount: { type: "number" } },
  required: ["amount"],
  additionalProperties: false,
};
const ORDER = {
  type: "object",
  properties: { total: { $ref: "money.json" } },
  required: ["total"],
  additionalProperties: false,
};

describe("the subject view with references", () => {
  let app: FastifyInstance;
  let services: Services;
  beforeAll(async () => {
    ({ app, services } = await consoleApp());
    await services.registry.register("money", MONEY);
    await services.registry.register("order", ORDER, {
      references: [{ name: "money.json", subject: "money", version: 1 }],
    });
  });
  afterAll(async () => {
    await app.close();
    await services.close();
  });

  test("lists what a version uses, with links, and its provider form is self-contained", async () => {
    const page = (await app.inject({ url: "/ui/subjects/order" })).body;
    expect(page).toContain('href="/ui/subjects/money?version=1"');
    expect(page).toContain("<code>money.json</code>");
    expect(page).toContain("#/$defs/money_v1");
  });

  test("lists who uses a version", async () => {
    const page = (await app.inject({ url: "/ui/subjects/money" })).body;
    expect(page).toContain("Used by");
    expect(page).toContain('href="/ui/subjects/order?version=1"');
  });

  test("a subject without references shows no references section", async () => {
    await services.registry.register("plain", MONEY);
    expect((await app.inject({ url: "/ui/subjects/plain" })).body).not.toContain("references-title");
  });
});

describe("the diff view with references", () => {
  let app: FastifyInstance;
  let services: Services;
  beforeAll(async () => {
    ({ app, services } = await consoleApp());
    await services.registry.setConfig("money", { compatibility: "NONE" });
    await services.registry.register("money", MONEY);
    await services.registry.register("money", {
      ...MONEY,
      properties: { amount: { type: "number" }, note: { type: ["string", "null"] } },
      required: ["amount", "note"],
    });
    await services.registry.setConfig("order", { compatibility: "NONE" });
    for (const version of [1, 2]) {
      await services.registry.register("order", ORDER, {
        references: [{ name: "money.json", subject: "money", version }],
      });
    }
  });
  afterAll(async () => {
    await app.close();
    await services.close();
  });

  test("compares the bundled forms: a change in the referenced version shows", async () => {
    const page = (await app.inject({ url: "/ui/subjects/order/diff?from=1&to=2" })).body;
    expect(page).toContain("money_v2");
    expect(page).toContain("REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL");
  });
});
