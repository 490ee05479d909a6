import type { FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { objectSchema, send, testApp } from "../helpers.js";

let app: FastifyInstance;
beforeEach(async () => {
  ({ app } = await testApp());
  await send(app, "POST", "/subjects/orders/versions", { schema: objectSchema() });
  await send(app, "POST", "/subjects/invoices/versions", { schema: objectSchema() });
});
afterEach(async () => {
  await app.close();
});

describe("/schemas", () => {
  test("supports the JSON type only", async () => {
    expect((await send(app, "GET", "/schemas/types")).json()).toEqual(["JSON"]);
  });

  test("answers a schema by id with its type and fingerprint", async () => {
    const res = await send(app, "GET", "/schemas/ids/1");
    expect(res.json()).toEqual({ schema: objectSchema(), schemaType: "JSON", fingerprint: "fp1" });
  });

  test("answers the raw schema by id as application/json", async () => {
    const res = await send(app, "GET", "/schemas/ids/1/schema");
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(res.body).toBe(objectSchema());
  });

  test("lists the subject versions and subjects using an id", async () => {
    expect((await send(app, "GET", "/schemas/ids/1/versions")).json()).toEqual([
      { subject: "orders", version: 1 },
      { subject: "invoices", version: 1 },
    ]);
    expect((await send(app, "GET", "/schemas/ids/1/subjects")).json()).toEqual(["orders", "invoices"]);
  });

  test.each(["0", "-1", "x", "1.0", "99", "2147483648", "99999999999999999999"])(
    "answers 40403 for the id %j",
    async (id) => {
      const res = await send(app, "GET", `/schemas/ids/${id}`);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ error_code: 40403, code: "SR_SCHEMA_NOT_FOUND" });
    },
  );
});
