import type { FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { INCOMPATIBLE_MARK } from "../fake-registry.js";
import { objectSchema, send, testApp } from "../helpers.js";

let app: FastifyInstance;
const bad = JSON.stringify({ type: "object", [INCOMPATIBLE_MARK]: true });

beforeEach(async () => {
  ({ app } = await testApp());
  await send(app, "POST", "/subjects/orders/versions", { schema: objectSchema() });
});
afterEach(async () => {
  await app.close();
});

describe("POST /compatibility/subjects/{s}/versions[/{v}]", () => {
  test.each(["/versions/latest", "/versions/1", "/versions/-1", "/versions"])(
    "answers is_compatible only, unless verbose (%s)",
    async (suffix) => {
      const res = await send(app, "POST", `/compatibility/subjects/orders${suffix}`, {
        schema: objectSchema(),
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ is_compatible: true });
    },
  );

  test("verbose answers add the messages and the differences", async () => {
    const res = await send(app, "POST", "/compatibility/subjects/orders/versions/latest?verbose=true", {
      schema: bad,
    });
    expect(res.json()).toEqual({
      is_compatible: false,
      messages: ["TYPE_NARROWED at /properties/a"],
      differences: [{ kind: "TYPE_NARROWED", path: "/properties/a", version: 1, direction: "backward" }],
    });
  });

  test("an unknown subject with version latest is compatible", async () => {
    const res = await send(app, "POST", "/compatibility/subjects/new/versions/latest", {
      schema: objectSchema(),
    });
    expect(res.json()).toEqual({ is_compatible: true });
  });

  test("an unknown subject with a numbered version is 40401", async () => {
    const res = await send(app, "POST", "/compatibility/subjects/new/versions/1", { schema: objectSchema() });
    expect(res.json()).toMatchObject({ error_code: 40401 });
  });

  test.each([
    ["/versions/latest", {}, 42201],
    ["/versions", { schema: 3 }, 42201],
    ["/versions/nope", { schema: "{}" }, 42202],
    ["/versions/latest?verbose=maybe", { schema: "{}" }, 400],
  ])("refuses %s with body %j (error_code %i)", async (suffix, body, errorCode) => {
    const res = await send(app, "POST", `/compatibility/subjects/orders${suffix}`, body);
    expect(res.json()).toMatchObject({ error_code: errorCode });
  });
});

describe("POST /subjects/{s}/check", () => {
  test("answers the dry-run verdict with lint problems and compatibility", async () => {
    const res = await send(app, "POST", "/subjects/orders/check", { schema: bad });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      registrable: false,
      lint: [{ code: "DEFAULT_NOT_ALLOWED", path: "/default", severity: "warning" }],
      compatibility: { isCompatible: false, differences: [{ kind: "TYPE_NARROWED" }] },
    });
  });

  test("names the existing version when the schema is already registered", async () => {
    const res = await send(app, "POST", "/subjects/orders/check", { schema: objectSchema() });
    expect(res.json()).toMatchObject({ registrable: true, existing: { id: 1, version: 1 } });
  });

  test("stores nothing", async () => {
    await send(app, "POST", "/subjects/other/check", { schema: objectSchema() });
    expect((await send(app, "GET", "/subjects")).json()).toEqual(["orders"]);
  });
});
