import type { FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { objectSchema, send, testApp, VND } from "../helpers.js";

let app: FastifyInstance;
const schema = JSON.stringify({
  type: "object",
  properties: { a: { type: "string" } },
  required: ["a"],
  additionalProperties: false,
  default: { a: "x" },
});

beforeEach(async () => {
  ({ app } = await testApp());
  await send(app, "POST", "/subjects/orders/versions", { schema });
  await send(app, "POST", "/subjects/orders/versions", { schema: objectSchema({ b: { type: "number" } }) });
});
afterEach(async () => {
  await app.close();
});

describe("GET /subjects/{s}/versions/{v}", () => {
  test.each([
    ["1", 1],
    ["2", 2],
    ["latest", 2],
    ["-1", 2],
  ])("version %s answers version %i with every field", async (raw, version) => {
    const res = await send(app, "GET", `/subjects/orders/versions/${raw}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe(VND);
    const body = res.json();
    expect(Object.keys(body)).toEqual([
      "subject",
      "version",
      "id",
      "schemaType",
      "schema",
      "fingerprint",
      "state",
      "deleted",
      "createdAt",
    ]);
    expect(body).toMatchObject({
      subject: "orders",
      version,
      schemaType: "JSON",
      state: "ENABLED",
      deleted: false,
    });
  });

  test.each(["0", "abc", "1.5", "2147483648", "-2", "01", "1e3", "latest2", " 1"])(
    "answers 422 42202 for the version %j",
    async (raw) => {
      const res = await send(app, "GET", `/subjects/orders/versions/${encodeURIComponent(raw)}`);
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({ error_code: 42202, code: "SR_INVALID_VERSION" });
    },
  );

  test("answers 40402 for an unknown version and 40401 for an unknown subject", async () => {
    expect((await send(app, "GET", "/subjects/orders/versions/9")).json()).toMatchObject({
      error_code: 40402,
    });
    expect((await send(app, "GET", "/subjects/nope/versions/1")).json()).toMatchObject({ error_code: 40401 });
  });

  test("shows a soft-deleted version only with deleted=true", async () => {
    await send(app, "DELETE", "/subjects/orders/versions/1");
    expect((await send(app, "GET", "/subjects/orders/versions/1")).statusCode).toBe(404);
    const res = await send(app, "GET", "/subjects/orders/versions/1?deleted=true");
    expect(res.json()).toMatchObject({ version: 1, deleted: true });
  });
});

describe("raw and provider schemas", () => {
  test("answers the raw schema as application/json, byte for byte", async () => {
    const res = await send(app, "GET", "/subjects/orders/versions/1/schema");
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(res.body).toBe(schema);
  });

  test("answers the provider form of the schema as application/json", async () => {
    const res = await send(app, "GET", "/subjects/orders/versions/1/provider");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(res.json()).not.toHaveProperty("default");
    expect(res.json()).toMatchObject({ type: "object" });
  });

  test("an unknown version of a raw schema is still a JSON error", async () => {
    const res = await send(app, "GET", "/subjects/orders/versions/7/schema");
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error_code: 40402 });
  });

  test("referencedby is empty for a known version and 40402 for an unknown one", async () => {
    expect((await send(app, "GET", "/subjects/orders/versions/1/referencedby")).json()).toEqual([]);
    expect((await send(app, "GET", "/subjects/orders/versions/5/referencedby")).statusCode).toBe(404);
  });
});

describe("DELETE /subjects/{s}/versions/{v}", () => {
  test("soft deletes then hard deletes, answering the version number", async () => {
    const soft = await send(app, "DELETE", "/subjects/orders/versions/1");
    expect(soft.statusCode).toBe(200);
    expect(soft.json()).toBe(1);
    const hard = await send(app, "DELETE", "/subjects/orders/versions/1?permanent=true");
    expect(hard.json()).toBe(1);
    expect((await send(app, "GET", "/subjects/orders/versions?deleted=true")).json()).toEqual([2]);
  });

  test("refuses a permanent delete before a soft delete (40407)", async () => {
    const res = await send(app, "DELETE", "/subjects/orders/versions/2?permanent=true");
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error_code: 40407 });
  });

  test("accepts a JSON Content-Type with an empty body, as registry clients send it", async () => {
    const res = await app.inject({
      method: "DELETE",
      url: "/subjects/orders/versions/latest",
      headers: { "content-type": VND },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toBe(2);
  });
});

describe("PUT /subjects/{s}/versions/{v}/state", () => {
  test("changes the state and answers the version", async () => {
    const res = await send(app, "PUT", "/subjects/orders/versions/1/state", { state: "DEPRECATED" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ version: 1, state: "DEPRECATED" });
  });

  test("resolves latest before changing the state", async () => {
    const res = await send(app, "PUT", "/subjects/orders/versions/latest/state", { state: "DISABLED" });
    expect(res.json()).toMatchObject({ version: 2, state: "DISABLED" });
    expect((await send(app, "GET", "/subjects/orders/versions/latest")).json()).toMatchObject({ version: 1 });
  });

  test.each([[{ state: "GONE" }], [{ state: 1 }], [{}]])("answers SR_INVALID_STATE for %j", async (body) => {
    const res = await send(app, "PUT", "/subjects/orders/versions/1/state", body);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: "SR_INVALID_STATE" });
  });
});
