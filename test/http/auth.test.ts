import { describe, expect, test } from "vitest";
import {
  createTokenMatcher,
  type HttpToken,
  hasScope,
  parseBearer,
  type Scope,
} from "../../src/http/auth.js";
import { captureLogger } from "./capture-logger.js";
import { objectSchema, send, testApp } from "./helpers.js";

const TOKENS: HttpToken[] = [
  { name: "reader", secret: "r-secret", scopes: ["read"] },
  { name: "validator", secret: "v-secret", scopes: ["validate"] },
  { name: "writer", secret: "w-secret", scopes: ["write"] },
  { name: "admin", secret: "a-secret", scopes: ["admin"] },
];
const SECRET: Record<Scope, string> = {
  read: "r-secret",
  validate: "v-secret",
  write: "w-secret",
  admin: "a-secret",
};

describe("hasScope", () => {
  test.each([
    [["read"], "read", true],
    [["read"], "write", false],
    [["write"], "read", true],
    [["read"], "validate", false],
    [["validate"], "read", true],
    [["validate"], "write", false],
    [["write"], "validate", true],
    [["write"], "admin", false],
    [["admin"], "write", true],
    [["admin"], "read", true],
    [[], "read", false],
  ] as const)("%j grants %s: %s", (granted, needed, expected) => {
    expect(hasScope(granted, needed)).toBe(expected);
  });
});

describe("parseBearer", () => {
  test.each([
    ["Bearer abc", "abc"],
    ["bearer abc", "abc"],
    ["Bearer   abc  ", "abc"],
    ["Basic abc", undefined],
    ["Bearer", undefined],
    ["Bearer a b", undefined],
    [undefined, undefined],
  ])("%j → %j", (header, secret) => {
    expect(parseBearer(header)).toBe(secret);
  });
});

describe("createTokenMatcher", () => {
  test("finds the token whose secret matches, and none for others", () => {
    const match = createTokenMatcher(TOKENS);
    expect(match("w-secret")?.name).toBe("writer");
    expect(match("w-secre")).toBeUndefined();
    expect(match("")).toBeUndefined();
  });

  test.each([
    [{ name: "x", secret: "", scopes: ["read"] }],
    [{ name: "x", secret: "a b", scopes: ["read"] }],
    [{ name: "x", secret: "ok", scopes: ["root"] }],
  ])("refuses the invalid token %j without echoing its secret", (token) => {
    expect(() => createTokenMatcher([token as HttpToken])).toThrow(
      expect.objectContaining({ code: "SR_CONFIG_INVALID" }),
    );
  });
});

type Case = [method: "GET" | "POST" | "PUT" | "DELETE", url: string, body: unknown, needed: Scope];
const ROUTES: Case[] = [
  ["GET", "/subjects", undefined, "read"],
  ["GET", "/subjects/s/versions/1", undefined, "read"],
  ["GET", "/schemas/ids/1", undefined, "read"],
  ["GET", "/config", undefined, "read"],
  ["GET", "/metrics", undefined, "read"],
  ["GET", "/docs/json", undefined, "read"],
  ["POST", "/subjects/s", { schema: objectSchema() }, "read"],
  ["POST", "/compatibility/subjects/s/versions/latest", { schema: objectSchema() }, "read"],
  ["POST", "/subjects/s/check", { schema: objectSchema() }, "read"],
  ["POST", "/subjects/s/versions", { schema: objectSchema() }, "write"],
  ["PUT", "/subjects/s/versions/1/state", { state: "DEPRECATED" }, "write"],
  ["PUT", "/config", { compatibility: "FULL" }, "admin"],
  ["PUT", "/config/s", { compatibility: "FULL" }, "admin"],
  ["DELETE", "/config/s", undefined, "admin"],
  ["DELETE", "/subjects/s/versions/1", undefined, "admin"],
  ["DELETE", "/subjects/s", undefined, "admin"],
];
const WEAKER: Record<Scope, Scope | undefined> = {
  read: undefined,
  validate: "read",
  write: "validate",
  admin: "write",
};

async function securedApp() {
  const { app } = await testApp({ options: { tokens: TOKENS } });
  await send(
    app,
    "POST",
    "/subjects/s/versions",
    { schema: objectSchema() },
    { authorization: "Bearer w-secret" },
  );
  return app;
}

describe("bearer tokens on routes", () => {
  test.each(ROUTES)("%s %s needs a token", async (method, url, body) => {
    const app = await securedApp();
    const res = await send(app, method, url, body);
    expect(res.statusCode).toBe(401);
    expect(res.headers["www-authenticate"]).toBe('Bearer realm="structreg"');
    expect(res.json()).toMatchObject({ error_code: 401, code: "SR_UNAUTHORIZED" });
  });

  test.each(ROUTES)(
    "%s %s is allowed with the %s scope and refused with a weaker one",
    async (method, url, body, needed) => {
      const app = await securedApp();
      const ok = await send(app, method, url, body, { authorization: `Bearer ${SECRET[needed]}` });
      expect(ok.statusCode).toBeLessThan(400);
      const weaker = WEAKER[needed];
      if (weaker !== undefined) {
        const res = await send(app, method, url, body, { authorization: `Bearer ${SECRET[weaker]}` });
        expect(res.statusCode).toBe(403);
        expect(res.json()).toMatchObject({ error_code: 403, code: "SR_FORBIDDEN" });
      }
    },
  );

  test("admin tokens may do everything", async () => {
    const app = await securedApp();
    const res = await send(
      app,
      "POST",
      "/subjects/t/versions",
      { schema: objectSchema() },
      {
        authorization: "Bearer a-secret",
      },
    );
    expect(res.statusCode).toBe(200);
  });

  test.each(["/healthz", "/readyz"])("%s needs no token", async (url) => {
    const app = await securedApp();
    expect((await send(app, "GET", url)).statusCode).toBe(200);
  });

  test("an unknown secret is 401, and so is an unknown route without a token", async () => {
    const app = await securedApp();
    expect(
      (await send(app, "GET", "/subjects", undefined, { authorization: "Bearer nope" })).statusCode,
    ).toBe(401);
    expect((await send(app, "GET", "/no-such-route")).statusCode).toBe(401);
  });

  test("the token is checked before the body is parsed", async () => {
    const app = await securedApp();
    const res = await send(app, "POST", "/subjects/s/versions", "{not json");
    expect(res.statusCode).toBe(401);
  });

  test("without tokens nothing needs one", async () => {
    const { app } = await testApp();
    expect((await send(app, "DELETE", "/config")).statusCode).toBe(200);
  });

  test("without tokens one onRequest hook runs (the edge guards); with tokens the console's redirect of / and the token check", async () => {
    const { app } = await testApp();
    await app.ready();
    expect(app.printRoutes({ includeHooks: true })).toContain('(onRequest) ["anonymous()"]');
    const secured = await securedApp();
    await secured.ready();
    expect(secured.printRoutes({ includeHooks: true })).toContain(
      '(onRequest) ["anonymous()","redirectBrowsersHook()","anonymous()"]',
    );
  });

  test("secrets never reach the logs", async () => {
    const { logger, lines } = captureLogger();
    const { app } = await testApp({ logger, options: { tokens: TOKENS } });
    await send(app, "GET", "/subjects", undefined, { authorization: "Bearer a-secret" });
    await send(app, "GET", "/subjects", undefined, { authorization: "Bearer wrong-secret" });
    app.log.info({ headers: { authorization: "Bearer a-secret" } }, "headers logged by mistake");
    const text = lines.join("");
    // One access line per request (the refused one always logged) and the line logged by mistake.
    expect(lines.map((line) => JSON.parse(line).status)).toEqual([200, 401, undefined]);
    expect(text).not.toContain("a-secret");
    expect(text).not.toContain("wrong-secret");
    expect(text).toContain("[redacted]");
  });
});
