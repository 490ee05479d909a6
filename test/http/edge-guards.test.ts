import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildApp } from "../../src/http/app.js";
import { defaultAllowedHosts, hostName } from "../../src/http/host-check.js";
import { createRolloutHarness, type RolloutHarness } from "../app/rollout-harness.js";
import { objectSchema, send, testApp, VND } from "./helpers.js";

describe("no-token mode refuses cross-site writes (CSRF)", () => {
  let harness: RolloutHarness;
  let app: FastifyInstance;
  beforeAll(async () => {
    harness = await createRolloutHarness();
    app = await buildApp({ registry: harness.registry, rollout: { service: harness.rollout } });
  });
  afterAll(async () => {
    await app.close();
    await harness.close();
  });

  // What a page on another origin can send without a preflight: no custom header, a "simple" type.
  test.each([
    ["no Content-Type, no body", {}, undefined],
    ["text/plain", { "content-type": "text/plain" }, "{}"],
    ["a form", { "content-type": "application/x-www-form-urlencoded" }, "reason=x"],
    ["multipart", { "content-type": "multipart/form-data; boundary=b" }, "--b--"],
  ])(
    "a simple POST (%s) to rollback is refused with 415 and changes nothing",
    async (_name, headers, payload) => {
      const before = (await app.inject({ url: "/subjects/invoice/rollout" })).json();
      const res = await app.inject({
        method: "POST",
        url: "/subjects/invoice/rollout/rollback",
        headers,
        ...(payload === undefined ? {} : { payload }),
      });
      expect(res.statusCode).toBe(415);
      expect(res.json()).toMatchObject({ code: "SR_UNSUPPORTED_MEDIA_TYPE", hint: expect.any(String) });
      const after = (await app.inject({ url: "/subjects/invoice/rollout" })).json();
      expect(after.revision).toBe(before.revision);
    },
  );

  test.each([
    ["a JSON Content-Type without a body", { "content-type": VND }],
    ["application/json; charset=utf-8", { "content-type": "application/json; charset=utf-8" }],
    ["X-Structreg-Request without a Content-Type", { "x-structreg-request": "1" }],
  ])("a body-less POST with %s is served", async (_name, headers) => {
    const res = await app.inject({ method: "POST", url: "/subjects/invoice/rollout/pause", headers });
    expect(res.statusCode).toBe(200);
  });

  test("a preflight (OPTIONS) grants no CORS, so a cross-site DELETE is never sent", async () => {
    const res = await app.inject({
      method: "OPTIONS",
      url: "/subjects/invoice",
      headers: { origin: "https://evil.example", "access-control-request-method": "DELETE" },
    });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(Object.keys(res.headers).filter((h) => h.startsWith("access-control-"))).toEqual([]);
    const get = await app.inject({ url: "/subjects", headers: { origin: "https://evil.example" } });
    expect(Object.keys(get.headers).filter((h) => h.startsWith("access-control-"))).toEqual([]);
  });

  test("a body-less DELETE (as Confluent clients send it) is still served", async () => {
    const { app: registry } = await testApp();
    await send(registry, "POST", "/subjects/a/versions", { schema: objectSchema() });
    const res = await registry.inject({ method: "DELETE", url: "/subjects/a" });
    expect(res.statusCode).toBe(200);
    await registry.close();
  });
});

describe("Host allow-list (DNS rebinding)", () => {
  test.each([
    ["127.0.0.1:8080", 200],
    ["localhost:8080", 200],
    ["LOCALHOST", 200],
    ["[::1]:8080", 200],
    ["evil.example:8080", 403],
    ["127.0.0.1.evil.example", 403],
    ["localhost.evil.example:8080", 403],
  ])("without tokens, Host %s answers %s", async (host, status) => {
    const { app } = await testApp();
    const res = await app.inject({ url: "/subjects", headers: { host } });
    expect(res.statusCode).toBe(status);
    if (status === 403) expect(res.json()).toMatchObject({ code: "SR_HOST_NOT_ALLOWED", error_code: 403 });
    await app.close();
  });

  test("a refused Host changes nothing, and the probes answer any Host", async () => {
    const { app } = await testApp();
    const evil = { host: "rebound.evil.example" };
    const res = await send(app, "POST", "/subjects/a/versions", { schema: objectSchema() }, evil);
    expect(res.statusCode).toBe(403);
    expect((await app.inject({ url: "/subjects" })).json()).toEqual([]);
    expect((await app.inject({ url: "/healthz", headers: evil })).statusCode).toBe(200);
    await app.close();
  });

  test("an explicit list is enforced also with tokens; * turns the check off", async () => {
    const tokens = [{ name: "ops", secret: "s3cret-token-for-ops-team", scopes: ["read" as const] }];
    const auth = { authorization: "Bearer s3cret-token-for-ops-team" };
    const listed = await testApp({ options: { tokens, allowedHosts: ["registry.internal"] } });
    const ok = await listed.app.inject({
      url: "/subjects",
      headers: { ...auth, host: "registry.internal:443" },
    });
    expect(ok.statusCode).toBe(200);
    const refused = await listed.app.inject({ url: "/subjects", headers: { ...auth, host: "127.0.0.1" } });
    expect(refused.json().code).toBe("SR_HOST_NOT_ALLOWED");
    const open = await testApp({ options: { allowedHosts: ["*"] } });
    expect((await open.app.inject({ url: "/subjects", headers: { host: "any.example" } })).statusCode).toBe(
      200,
    );
  });

  test("the default list: loopback names and the bound host without tokens, any host with tokens", () => {
    expect(defaultAllowedHosts("0.0.0.0", false)).toEqual(["localhost", "127.0.0.1", "::1", "0.0.0.0"]);
    expect(defaultAllowedHosts("[::1]", false)).toEqual(["localhost", "127.0.0.1", "::1"]);
    expect(defaultAllowedHosts("10.0.0.5", true)).toEqual(["*"]);
    expect(hostName("Example.COM.:80")).toBe("example.com");
    expect(hostName("[::1]:80")).toBe("::1");
  });
});
