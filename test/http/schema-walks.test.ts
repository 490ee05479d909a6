/**
 * Issue #9: a 2 KB schema froze the server. A `$defs` chain whose nodes reference the next one twice
 * registered under the default profile, and the first validate never returned. Every route that walks a
 * schema now answers promptly, with the right answer or a typed refusal, on a real composed app.
 */
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, test } from "vitest";
import { createTestServices, type Services } from "../../src/compose.js";
import type { Config } from "../../src/config.js";
import type { JsonObject } from "../../src/core/json.js";
import { buildApp } from "../../src/http/app.js";
import { startServer } from "../../src/http/server.js";
import { refChain } from "../fixtures/ref-chains.js";
import { send, VND } from "./helpers.js";

let services: Services | undefined;
let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  await services?.close();
  app = undefined;
  services = undefined;
});

/** A real app over composed services (memory stores), the default profile and the given limits. */
async function realApp(config: Partial<Config> = {}): Promise<FastifyInstance> {
  services = createTestServices({ logLevel: "silent", ...config });
  app = await buildApp({ ...services, logger: false });
  return app;
}

const register = (a: FastifyInstance, subject: string, schema: JsonObject) =>
  send(a, "POST", `/subjects/${subject}/versions`, { schema: JSON.stringify(schema) });
const validate = (a: FastifyInstance, subject: string, output: unknown) =>
  send(a, "POST", `/subjects/${subject}/validate`, { output });

/** The chain with its last node's type changed: a difference under every one of its 2^(n-1) paths. */
function changedLeaf(nodes: number): JsonObject {
  return refChain(nodes, { leafType: "integer" });
}

describe("a 40-node double-reference chain", () => {
  test("registers, and validate answers on the strict and the tolerant track", async () => {
    const a = await realApp();
    expect((await register(a, "chain", refChain(40, { nullable: true }))).statusCode).toBe(200);
    const strict = await validate(a, "chain", '{"root":{"a":null,"b":null}}');
    expect(strict.statusCode).toBe(200);
    expect(strict.json()).toMatchObject({ ok: true, track: "strict" });
    // An unknown key forces the tolerant track: the coercion plan is compiled and drops it.
    const tolerant = await validate(a, "chain", '{"root":{"a":null,"b":{"a":null,"b":null,"x":1}}}');
    expect(tolerant.statusCode).toBe(200);
    expect(tolerant.json()).toMatchObject({
      ok: true,
      track: "tolerant",
      data: { root: { a: null, b: { a: null, b: null } } },
      repairs: [expect.objectContaining({ path: "/root/b/x" })],
    });
  });

  test("a value the chain cannot accept is a typed rejection, not a hang", async () => {
    const a = await realApp();
    expect((await register(a, "chain", refChain(40))).statusCode).toBe(200);
    const res = await validate(a, "chain", { root: { a: "x" } });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: "SR_OUTPUT_REJECTED", reason: "invalid" });
  });

  test("compatibility, check and registration answer, or refuse with SR_SCHEMA_TOO_COMPLEX", async () => {
    const a = await realApp({ maxSchemaBytes: 64 * 1024 });
    expect((await register(a, "chain", refChain(40))).statusCode).toBe(200);
    const described = { ...refChain(40), description: "the same chain" };
    const same = await send(a, "POST", "/compatibility/subjects/chain/versions/latest", {
      schema: JSON.stringify(described),
    });
    expect(same.statusCode).toBe(200);
    expect(same.json()).toEqual({ is_compatible: true });

    const changed = JSON.stringify(changedLeaf(40));
    const compat = await send(a, "POST", "/compatibility/subjects/chain/versions/latest", {
      schema: changed,
    });
    expect(compat.statusCode).toBe(422);
    expect(compat.json()).toMatchObject({
      error_code: 42201,
      code: "SR_SCHEMA_TOO_COMPLEX",
      message: expect.stringContaining("work limit of 65536"),
      hint: expect.stringContaining("STRUCTREG_MAX_SCHEMA_BYTES"),
    });
    const check = await send(a, "POST", "/subjects/chain/check", { schema: changed });
    expect(check.statusCode).toBe(200);
    expect(check.json()).toMatchObject({ registrable: false, error: { code: "SR_SCHEMA_TOO_COMPLEX" } });
    const refused = await send(a, "POST", "/subjects/chain/versions", { schema: changed });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: "SR_SCHEMA_TOO_COMPLEX" });
    expect((await send(a, "GET", "/subjects/chain/versions")).json()).toEqual([1]);
  });

  test("the provider form is served", async () => {
    const a = await realApp();
    expect((await register(a, "chain", refChain(40))).statusCode).toBe(200);
    const res = await send(a, "GET", "/subjects/chain/versions/1/provider");
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(refChain(40));
  });
});

describe("version fallback over chains", () => {
  test("a match on an older version is answered even when the upgrade diff passes its limit", async () => {
    const a = await realApp({ maxSchemaBytes: 64 * 1024 });
    await send(a, "PUT", "/config/chain", { compatibility: "NONE" });
    expect(
      (await register(a, "chain", refChain(40, { nullable: true, leafType: "integer" }))).statusCode,
    ).toBe(200);
    // v2 changes the leaf (integer → string) and adds a required property, which the output lacks.
    const v2 = refChain(40, { nullable: true });
    v2.properties = { ...(v2.properties as JsonObject), extra: { type: "string" } };
    v2.required = ["root", "extra"];
    expect((await register(a, "chain", v2)).statusCode).toBe(200);
    const res = await validate(a, "chain", '{"root":{"a":null,"b":null}}');
    expect(res.statusCode).toBe(200);
    // Whether v1's data upgrades to v2 is a diff with a difference under 2^39 paths: refused, so no upgrade.
    expect(res.json()).toMatchObject({ ok: true, track: "fallback", matchedVersion: 1, upgraded: false });
  });
});

describe("a 1000-node double-reference chain", () => {
  test("is refused as too deep by registration, check and compatibility", async () => {
    const a = await realApp();
    const schema = JSON.stringify(refChain(1000));
    const registered = await send(a, "POST", "/subjects/long/versions", { schema });
    expect(registered.statusCode).toBe(422);
    expect(registered.json()).toMatchObject({ code: "SR_SCHEMA_TOO_DEEP" });
    const check = await send(a, "POST", "/subjects/long/check", { schema });
    expect(check.json()).toMatchObject({ registrable: false, error: { code: "SR_SCHEMA_TOO_DEEP" } });
    expect((await register(a, "long", refChain(40))).statusCode).toBe(200);
    const compat = await send(a, "POST", "/compatibility/subjects/long/versions/latest", { schema });
    expect(compat.statusCode).toBe(422);
    expect(compat.json()).toMatchObject({ code: "SR_SCHEMA_TOO_DEEP" });
  });
});

describe("a 40-node chain with cycles", () => {
  test("registers, validates on both tracks, compares and serves its provider form", async () => {
    const a = await realApp({ maxSchemaBytes: 64 * 1024 });
    const schema = refChain(40, { nullable: true, cyclic: true });
    expect((await register(a, "cycle", schema)).statusCode).toBe(200);
    expect((await validate(a, "cycle", '{"root":{"a":null,"b":null}}')).json()).toMatchObject({
      ok: true,
      track: "strict",
    });
    expect((await validate(a, "cycle", { root: { a: null, b: null, x: 1 } })).json()).toMatchObject({
      ok: true,
      track: "tolerant",
    });
    const same = await send(a, "POST", "/compatibility/subjects/cycle/versions/latest", {
      schema: JSON.stringify({ ...schema, title: "cycle" }),
    });
    expect(same.json()).toEqual({ is_compatible: true });
    const changed = structuredClone(schema);
    (changed.$defs as Record<string, JsonObject>).n39!.description = "last";
    const compat = await send(a, "POST", "/compatibility/subjects/cycle/versions/latest", {
      schema: JSON.stringify(changed),
    });
    expect(compat.json()).toMatchObject({ code: "SR_SCHEMA_TOO_COMPLEX" });
    expect((await send(a, "GET", "/subjects/cycle/versions/1/provider")).json()).toEqual(schema);
  });
});

describe("on a listening server", () => {
  test("/healthz answers while chain validations and a refused diff are handled", async () => {
    // Default limits: the refused diff runs to the default budget.
    const a = await realApp();
    const url = await startServer(a, { host: "127.0.0.1", port: 0, tokens: [] });
    const post = (path: string, body: unknown) =>
      fetch(`${url}${path}`, {
        method: "POST",
        headers: { "content-type": VND },
        body: JSON.stringify(body),
      });
    expect((await post("/subjects/chain/versions", { schema: JSON.stringify(refChain(40)) })).status).toBe(
      200,
    );
    const heavy = [
      post("/subjects/chain/validate", { output: '{"root":{"a":"x"}}' }),
      post("/compatibility/subjects/chain/versions/latest", { schema: JSON.stringify(changedLeaf(40)) }),
      post("/subjects/chain/validate", { output: '{"root":{}}' }),
    ];
    const health: number[] = [];
    for (let i = 0; i < 5; i++) health.push((await fetch(`${url}/healthz`)).status);
    const answers = await Promise.all(heavy);
    expect(health).toEqual([200, 200, 200, 200, 200]);
    expect(answers.map((r) => r.status)).toEqual([422, 422, 422]);
    const codes = await Promise.all(answers.map(async (r) => ((await r.json()) as { code: string }).code));
    expect(codes).toEqual(["SR_OUTPUT_REJECTED", "SR_SCHEMA_TOO_COMPLEX", "SR_OUTPUT_REJECTED"]);
  }, 60_000);
});
