import type { FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createMemorySchemaStore } from "../../../src/adapters/storage/memory-schema-store.js";
import { createRegistryService } from "../../../src/app/registry.js";
import { objectSchema, send, testApp } from "../helpers.js";

/** /mode and the mode rules over the real registry service (memory store). */
let app: FastifyInstance;
beforeEach(async () => {
  ({ app } = await testApp({ registry: createRegistryService({ store: createMemorySchemaStore() }) }));
});
afterEach(async () => {
  await app.close();
});

const A = objectSchema({ a: { type: "string" } });
const B = objectSchema({ a: { type: "string" }, b: { type: "string" } });

async function register(body: Record<string, unknown>, subject = "orders") {
  return send(app, "POST", `/subjects/${subject}/versions`, body);
}

describe("/mode", () => {
  test("the global mode is READWRITE until set; PUT answers {mode} in upper case", async () => {
    expect((await send(app, "GET", "/mode")).json()).toEqual({ mode: "READWRITE" });
    const put = await send(app, "PUT", "/mode", { mode: "readonly" });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toEqual({ mode: "READONLY" });
    expect((await send(app, "GET", "/mode")).json()).toEqual({ mode: "READONLY" });
  });

  test("a subject without its own mode is 40409 unless defaultToGlobal=true; DELETE answers the mode removed", async () => {
    expect((await send(app, "GET", "/mode/orders")).json()).toMatchObject({
      error_code: 40409,
      code: "SR_SUBJECT_MODE_NOT_FOUND",
    });
    expect((await send(app, "GET", "/mode/orders?defaultToGlobal=true")).json()).toEqual({
      mode: "READWRITE",
    });
    expect((await send(app, "PUT", "/mode/orders", { mode: "READONLY_OVERRIDE" })).json()).toEqual({
      mode: "READONLY_OVERRIDE",
    });
    expect((await send(app, "GET", "/mode/orders")).json()).toEqual({ mode: "READONLY_OVERRIDE" });
    expect((await send(app, "DELETE", "/mode/orders")).json()).toEqual({ mode: "READONLY_OVERRIDE" });
    const again = await send(app, "DELETE", "/mode/orders");
    expect(again.statusCode).toBe(404);
    expect(again.json()).toMatchObject({ error_code: 40401, code: "SR_SUBJECT_NOT_FOUND" });
  });

  test.each([[{ mode: "SIDEWAYS" }], [{ mode: 3 }], [{}]])("refuses the body %j with 42204", async (body) => {
    const res = await send(app, "PUT", "/mode", body);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ error_code: 42204, code: "SR_INVALID_MODE" });
  });

  test("IMPORT needs an empty registry or subject unless force=true (Confluent's message)", async () => {
    await register({ schema: A });
    for (const url of ["/mode", "/mode/orders"]) {
      const res = await send(app, "PUT", url, { mode: "IMPORT" });
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({
        error_code: 42205,
        code: "SR_IMPORT_NOT_EMPTY",
        message: "Cannot import since found existing subjects",
      });
    }
    expect((await send(app, "PUT", "/mode/invoices", { mode: "IMPORT" })).json()).toEqual({ mode: "IMPORT" });
    expect((await send(app, "PUT", "/mode/orders?force=true", { mode: "IMPORT" })).json()).toEqual({
      mode: "IMPORT",
    });
  });
});

describe("READONLY on every write path", () => {
  test("refuses register, deletes, state changes and config changes with 422/42205", async () => {
    await register({ schema: A });
    await send(app, "PUT", "/mode", { mode: "READONLY" });
    const writes: Array<[string, string, unknown?]> = [
      ["POST", "/subjects/orders/versions", { schema: B }],
      ["DELETE", "/subjects/orders/versions/1"],
      ["DELETE", "/subjects/orders/versions/1?permanent=true"],
      ["DELETE", "/subjects/orders"],
      ["DELETE", "/subjects/orders?permanent=true"],
      ["PUT", "/subjects/orders/versions/1/state", { state: "DEPRECATED" }],
      ["PUT", "/config", { compatibility: "NONE" }],
      ["PUT", "/config/orders", { compatibility: "NONE" }],
      ["DELETE", "/config"],
      ["DELETE", "/config/orders"],
    ];
    for (const [method, url, body] of writes) {
      const res = await send(app, method as "POST", url, body);
      expect({ url, method, status: res.statusCode, body: res.json() }).toMatchObject({
        status: 422,
        body: { error_code: 42205, code: "SR_READ_ONLY_MODE", message: expect.stringContaining("read-only") },
      });
    }
    // Reads, compatibility checks and an already-registered schema still answer.
    expect((await register({ schema: A })).json()).toMatchObject({ version: 1, created: false });
    expect((await send(app, "GET", "/subjects/orders/versions/1")).statusCode).toBe(200);
    const compat = await send(app, "POST", "/compatibility/subjects/orders/versions/latest", { schema: B });
    expect(compat.statusCode).toBe(200);
    expect((await send(app, "PUT", "/mode", { mode: "READWRITE" })).statusCode).toBe(200);
    expect((await register({ schema: B }, "invoices")).json()).toMatchObject({ version: 1, created: true });
  });
});

describe("IMPORT: POST /subjects/{s}/versions with id and version", () => {
  test("registers with exactly that id and version; a re-run is idempotent", async () => {
    expect((await send(app, "PUT", "/mode", { mode: "IMPORT" })).json()).toEqual({ mode: "IMPORT" });
    const first = await register({ schema: A, schemaType: "JSON", references: [], id: 1234, version: 5 });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ id: 1234, version: 5, created: true });
    expect((await register({ schema: A, id: 1234, version: 5 })).json()).toMatchObject({
      id: 1234,
      version: 5,
      created: false,
    });
    expect((await send(app, "GET", "/schemas/ids/1234")).json()).toMatchObject({ schemaType: "JSON" });
    expect((await send(app, "GET", "/subjects/orders/versions/5")).json()).toMatchObject({
      id: 1234,
      version: 5,
    });
  });

  test("refuses an id of another schema, a taken version, and a new schema without id", async () => {
    await send(app, "PUT", "/mode", { mode: "IMPORT" });
    await register({ schema: A, id: 10, version: 1 });
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [
        { schema: B, id: 10, version: 2 },
        "SR_IMPORT_ID_CONFLICT",
        "Overwrite new schema with id 10 is not permitted.",
      ],
      [{ schema: B, id: 11, version: 1 }, "SR_IMPORT_VERSION_CONFLICT", "Version 1 of subject 'orders'"],
      [{ schema: B }, "SR_READ_WRITE_MODE_REQUIRED", "Subject orders is not in read-write mode"],
    ];
    for (const [body, code, message] of cases) {
      const res = await register(body);
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({
        error_code: 42205,
        code,
        message: expect.stringContaining(message),
      });
    }
  });

  test("an id or version outside IMPORT is 42205; a bad version is 42202", async () => {
    const res = await register({ schema: A, id: 3 });
    expect(res.json()).toMatchObject({
      error_code: 42205,
      code: "SR_IMPORT_MODE_REQUIRED",
      message: "Subject orders is not in import mode",
    });
    expect((await register({ schema: A, version: 2 })).json()).toMatchObject({
      code: "SR_IMPORT_MODE_REQUIRED",
    });
    expect((await register({ schema: A, version: -7 })).json()).toMatchObject({ error_code: 42202 });
    // -1 means "not given", as in Confluent.
    expect((await register({ schema: A, id: -1, version: -1 })).json()).toMatchObject({
      version: 1,
      created: true,
    });
  });

  test("after the import, READWRITE registrations get ids above the imported ones", async () => {
    await send(app, "PUT", "/mode/orders", { mode: "IMPORT" });
    await register({ schema: A, id: 900, version: 1 });
    await send(app, "PUT", "/mode/orders", { mode: "READWRITE" });
    const next = await register({ schema: A.replace('"a"', '"z"').replace('"a"', '"z"') }, "invoices");
    expect(next.json().id).toBeGreaterThan(900);
  });
});
