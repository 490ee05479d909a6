import type { FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { INCOMPATIBLE_MARK } from "../fake-registry.js";
import { objectSchema, send, testApp, VND } from "../helpers.js";

let app: FastifyInstance;
beforeEach(async () => {
  ({ app } = await testApp());
});
afterEach(async () => {
  await app.close();
});

describe("POST /subjects/{s}/versions", () => {
  test("registers a schema and answers its id with the extension fields", async () => {
    const res = await send(app, "POST", "/subjects/orders/versions", {
      schema: objectSchema(),
      schemaType: "JSON",
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe(VND);
    expect(res.json()).toEqual({ id: 1, version: 1, created: true, fingerprint: "fp1" });
    expect(Object.keys(res.json())[0]).toBe("id");
  });

  test("registering the same schema again answers the existing version", async () => {
    await send(app, "POST", "/subjects/orders/versions", { schema: objectSchema() });
    const res = await send(app, "POST", "/subjects/orders/versions", { schema: objectSchema() });
    expect(res.json()).toMatchObject({ id: 1, version: 1, created: false });
  });

  test("ignores unknown body fields that newer Confluent clients send", async () => {
    const res = await send(app, "POST", "/subjects/orders/versions", {
      schema: objectSchema(),
      metadata: null,
      ruleSet: null,
      references: [],
    });
    expect(res.statusCode).toBe(200);
  });

  test.each([
    ["missing", {}],
    ["a number", { schema: 5 }],
    ["an object", { schema: { type: "object" } }],
    ["null", { schema: null }],
  ])("answers 422 42201 when the schema field is %s", async (_name, body) => {
    const res = await send(app, "POST", "/subjects/orders/versions", body);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ error_code: 42201, code: "SR_INVALID_SCHEMA" });
  });

  test("refuses a reference without a version as a malformed request", async () => {
    const res = await send(app, "POST", "/subjects/orders/versions", {
      schema: objectSchema(),
      references: [{ name: "x", subject: "y" }],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: "SR_INVALID_REQUEST" });
  });

  test("refuses a schema type other than JSON", async () => {
    const res = await send(app, "POST", "/subjects/orders/versions", { schema: "{}", schemaType: "AVRO" });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ error_code: 42201, code: "SR_UNSUPPORTED_SCHEMA_TYPE" });
  });

  test("answers 409 with every offending difference in details", async () => {
    await send(app, "POST", "/subjects/orders/versions", { schema: objectSchema() });
    const res = await send(app, "POST", "/subjects/orders/versions", {
      schema: JSON.stringify({ type: "object", [INCOMPATIBLE_MARK]: true }),
    });
    expect(res.statusCode).toBe(409);
    const body = res.json();
    expect(Object.keys(body).slice(0, 3)).toEqual(["error_code", "message", "code"]);
    expect(body).toMatchObject({ error_code: 409, code: "SR_INCOMPATIBLE_SCHEMA" });
    expect(body.message).toContain("TYPE_NARROWED");
    expect(body.details.differences).toEqual([
      { kind: "TYPE_NARROWED", path: "/properties/a", version: 1, direction: "backward" },
    ]);
  });
});

describe("listing and lookup", () => {
  beforeEach(async () => {
    await send(app, "POST", "/subjects/orders/versions", { schema: objectSchema() });
    await send(app, "POST", "/subjects/orders/versions", { schema: objectSchema({ b: { type: "number" } }) });
  });

  test("lists subjects and versions", async () => {
    expect((await send(app, "GET", "/subjects")).json()).toEqual(["orders"]);
    expect((await send(app, "GET", "/subjects/orders/versions")).json()).toEqual([1, 2]);
  });

  test("hides soft-deleted versions unless deleted=true", async () => {
    await send(app, "DELETE", "/subjects/orders/versions/1");
    expect((await send(app, "GET", "/subjects/orders/versions")).json()).toEqual([2]);
    expect((await send(app, "GET", "/subjects/orders/versions?deleted=true")).json()).toEqual([1, 2]);
  });

  test("answers 40401 for an unknown subject", async () => {
    const res = await send(app, "GET", "/subjects/nope/versions");
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error_code: 40401, code: "SR_SUBJECT_NOT_FOUND" });
  });

  test("looks a schema up by its text", async () => {
    const res = await send(app, "POST", "/subjects/orders", { schema: objectSchema() });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ subject: "orders", version: 1, id: 1, schemaType: "JSON" });
    expect(res.json().fingerprint).toBe("fp1");
  });

  test("answers 40403 when the schema is not under the subject", async () => {
    const res = await send(app, "POST", "/subjects/orders", {
      schema: objectSchema({ z: { type: "string" } }),
    });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error_code: 40403 });
  });

  test("deletes a subject softly, then permanently", async () => {
    expect((await send(app, "DELETE", "/subjects/orders")).json()).toEqual([1, 2]);
    expect((await send(app, "GET", "/subjects")).json()).toEqual([]);
    expect((await send(app, "GET", "/subjects?deleted=true")).json()).toEqual(["orders"]);
    expect((await send(app, "DELETE", "/subjects/orders?permanent=true")).json()).toEqual([1, 2]);
    expect((await send(app, "GET", "/subjects?deleted=true")).json()).toEqual([]);
  });
});
