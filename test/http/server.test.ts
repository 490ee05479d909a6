import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, test } from "vitest";
import { isLoopbackHost, startServer } from "../../src/http/server.js";
import { objectSchema, testApp, VND } from "./helpers.js";

const TOKENS = [{ name: "admin", secret: "s3cret", scopes: ["admin" as const] }];
let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe("isLoopbackHost", () => {
  test.each([
    ["127.0.0.1", true],
    ["127.1.2.3", true],
    ["localhost", true],
    ["::1", true],
    ["[::1]", true],
    ["::ffff:127.0.0.1", true],
    ["0.0.0.0", false],
    ["::", false],
    ["10.0.0.1", false],
    ["127.0.0.256", false],
    ["128.0.0.1", false],
    ["localhost.example.com", false],
    ["", false],
  ])("%j → %s", (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});

describe("startServer", () => {
  test("serves real HTTP on a loopback port", async () => {
    ({ app } = await testApp());
    const url = await startServer(app, { host: "127.0.0.1", port: 0, tokens: [] });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const registered = await fetch(`${url}/subjects/orders/versions`, {
      method: "POST",
      headers: { "content-type": VND },
      body: JSON.stringify({ schema: objectSchema() }),
    });
    expect(registered.status).toBe(200);
    expect(registered.headers.get("content-type")).toBe(VND);
    expect(await registered.json()).toMatchObject({ id: 1, version: 1 });
    const subjects = await fetch(`${url}/subjects`);
    expect(await subjects.json()).toEqual(["orders"]);
  });

  test("refuses a non-loopback address without tokens", async () => {
    ({ app } = await testApp());
    await expect(startServer(app, { host: "0.0.0.0", port: 0, tokens: [] })).rejects.toMatchObject({
      code: "SR_UNSAFE_BIND",
    });
  });

  test("binds a non-loopback address without tokens only when allowed explicitly", async () => {
    ({ app } = await testApp());
    const url = await startServer(app, { host: "0.0.0.0", port: 0, tokens: [], allowInsecureBind: true });
    expect(url).toMatch(/^http:\/\//);
  });

  test("binds a non-loopback address with tokens, which then guard the routes", async () => {
    ({ app } = await testApp({ options: { tokens: TOKENS } }));
    const url = await startServer(app, { host: "0.0.0.0", port: 0, tokens: TOKENS });
    const port = new URL(url).port;
    const denied = await fetch(`http://127.0.0.1:${port}/subjects`);
    expect(denied.status).toBe(401);
    const allowed = await fetch(`http://127.0.0.1:${port}/subjects`, {
      headers: { authorization: "Bearer s3cret" },
    });
    expect(allowed.status).toBe(200);
  });

  test("refuses tokens the app was not built with", async () => {
    ({ app } = await testApp());
    await expect(startServer(app, { host: "0.0.0.0", port: 0, tokens: TOKENS })).rejects.toMatchObject({
      code: "SR_CONFIG_INVALID",
    });
  });
});
