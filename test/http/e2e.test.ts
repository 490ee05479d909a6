import type { FastifyInstance } from "fastify";
import { beforeEach, describe, expect, test } from "vitest";
import { createMemorySchemaStore } from "../../src/adapters/storage/memory-schema-store.js";
import { createRegistryService } from "../../src/app/registry.js";
import { send, testApp } from "./helpers.js";

/** The HTTP API over the real registry service and the memory store. */
let app: FastifyInstance;
beforeEach(async () => {
  ({ app } = await testApp({ registry: createRegistryService({ store: createMemorySchemaStore() }) }));
});

function status(values: string[]): string {
  return JSON.stringify({
    type: "object",
    properties: { status: { type: "string", enum: values } },
    required: ["status"],
    additionalProperties: false,
  });
}

describe("end to end over the registry service", () => {
  test("register, read back, look up, and find by id", async () => {
    const registered = await send(app, "POST", "/subjects/orders/versions", {
      schema: status(["open", "done"]),
    });
    expect(registered.statusCode).toBe(200);
    const { id, fingerprint } = registered.json();
    expect(registered.json()).toMatchObject({ id: expect.any(Number), version: 1, created: true });
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);

    const view = (await send(app, "GET", "/subjects/orders/versions/latest")).json();
    expect(view).toMatchObject({ subject: "orders", version: 1, id, fingerprint, schemaType: "JSON" });
    expect(JSON.parse(view.schema)).toEqual(JSON.parse(status(["open", "done"])));

    const lookup = await send(app, "POST", "/subjects/orders", { schema: status(["open", "done"]) });
    expect(lookup.json()).toMatchObject({ version: 1, id });
    expect((await send(app, "GET", `/schemas/ids/${id}`)).json()).toMatchObject({
      schemaType: "JSON",
      fingerprint,
    });
    expect((await send(app, "GET", `/schemas/ids/${id}/versions`)).json()).toEqual([
      { subject: "orders", version: 1 },
    ]);
  });

  test("an enum extension is compatible; narrowing it is a 409 naming every difference", async () => {
    await send(app, "POST", "/subjects/orders/versions", { schema: status(["open", "done"]) });
    const extended = await send(app, "POST", "/subjects/orders/versions", {
      schema: status(["open", "done", "held"]),
    });
    expect(extended.json()).toMatchObject({ version: 2 });

    const narrowed = await send(app, "POST", "/subjects/orders/versions", { schema: status(["open"]) });
    expect(narrowed.statusCode).toBe(409);
    const body = narrowed.json();
    expect(body).toMatchObject({ error_code: 409, code: "SR_INCOMPATIBLE_SCHEMA" });
    expect(body.details.differences.length).toBeGreaterThan(0);
    for (const difference of body.details.differences) {
      expect(body.message).toContain(difference.kind);
      expect(difference.path).toMatch(/^\//);
    }

    const verbose = await send(app, "POST", "/compatibility/subjects/orders/versions/latest?verbose=true", {
      schema: status(["open"]),
    });
    expect(verbose.json()).toMatchObject({ is_compatible: false, messages: [expect.any(String)] });
    const check = await send(app, "POST", "/subjects/orders/check", { schema: status(["open"]) });
    expect(check.json()).toMatchObject({ registrable: false, compatibility: { isCompatible: false } });
  });

  test("an unknown subject is compatible against latest", async () => {
    const res = await send(app, "POST", "/compatibility/subjects/fresh/versions/latest", {
      schema: status(["a"]),
    });
    expect(res.json()).toEqual({ is_compatible: true });
  });

  test("config level NONE lets an incompatible schema in", async () => {
    await send(app, "POST", "/subjects/orders/versions", { schema: status(["open", "done"]) });
    expect((await send(app, "PUT", "/config/orders", { compatibility: "NONE" })).statusCode).toBe(200);
    const res = await send(app, "POST", "/subjects/orders/versions", { schema: status(["open"]) });
    expect(res.json()).toMatchObject({ version: 2 });
  });

  test("state changes, provider schema and deletes", async () => {
    await send(app, "POST", "/subjects/orders/versions", { schema: status(["open"]) });
    const provider = await send(app, "GET", "/subjects/orders/versions/1/provider");
    expect(provider.json()).toMatchObject({ type: "object", additionalProperties: false });
    const state = await send(app, "PUT", "/subjects/orders/versions/1/state", { state: "DEPRECATED" });
    expect(state.json()).toMatchObject({ version: 1, state: "DEPRECATED" });
    expect((await send(app, "DELETE", "/subjects/orders/versions/1")).json()).toBe(1);
    expect((await send(app, "DELETE", "/subjects/orders/versions/1?permanent=true")).json()).toBe(1);
    expect((await send(app, "GET", "/subjects/orders/versions")).statusCode).toBe(404);
  });
});

function nested(depth: number): string {
  let text = '{"type":"string"}';
  for (let i = 0; i < depth; i++)
    text = `{"type":"object","properties":{"x":${text}},"required":["x"],"additionalProperties":false}`;
  return text;
}

describe("hostile schemas are typed 422s, never 500s", () => {
  test.each([
    ["a 10,000-level nested schema", nested(10_000), "SR_SCHEMA_TOO_DEEP"],
    ["10,000 nested arrays", `${"[".repeat(10_000)}${"]".repeat(10_000)}`, "SR_INVALID_SCHEMA"],
    [
      "a pattern RE2 cannot run (a lookahead)",
      JSON.stringify({
        type: "object",
        properties: { a: { type: "string", pattern: "^(?=a)a+$" } },
        required: ["a"],
        additionalProperties: false,
      }),
      "SR_UNSAFE_PATTERN",
    ],
    [
      "a remote $ref",
      JSON.stringify({
        type: "object",
        properties: { a: { $ref: "https://attacker.example/schema.json" } },
        required: ["a"],
        additionalProperties: false,
      }),
      "SR_REMOTE_REF",
    ],
    ["invalid JSON text", "{not json", "SR_INVALID_SCHEMA"],
    ["a non-schema value", "42", "SR_INVALID_SCHEMA"],
    [
      "a strict-mode violation",
      JSON.stringify({ type: "object", properties: { a: { type: "string" } } }),
      "SR_LINT_FAILED",
    ],
  ])("%s → %s", async (_name, schema, code) => {
    for (const url of ["/subjects/h/versions", "/compatibility/subjects/h/versions/latest", "/subjects/h"]) {
      const res = await send(app, "POST", url, { schema });
      expect(res.statusCode, url).toBeLessThan(500);
      if (url === "/subjects/h/versions") {
        expect(res.statusCode).toBe(422);
        expect(res.json()).toMatchObject({ error_code: 42201, code });
      }
    }
    const check = await send(app, "POST", "/subjects/h/check", { schema });
    expect(check.statusCode).toBe(200);
    expect(check.json()).toMatchObject({ registrable: false, error: { code } });
  });

  test("an invalid subject name is 42201", async () => {
    const res = await send(app, "POST", "/subjects/bad%20name/versions", { schema: status(["a"]) });
    expect(res.json()).toMatchObject({ error_code: 42201, code: "SR_INVALID_SUBJECT_NAME" });
  });
});
