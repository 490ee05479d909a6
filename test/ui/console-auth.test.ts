import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Services } from "../../src/compose.js";
import { safeNext } from "../../src/ui/guard.js";
import { SessionStore } from "../../src/ui/session.js";
import { CONSOLE_POST, consoleApp } from "./helpers.js";

const TOKENS = [
  { name: "reader", secret: "read-secret", scopes: ["read" as const] },
  { name: "writer", secret: "write-secret", scopes: ["write" as const] },
];

describe("console with tokens", () => {
  let app: FastifyInstance;
  let services: Services;

  beforeAll(async () => {
    ({ app, services } = await consoleApp(TOKENS));
  });
  afterAll(async () => {
    await app.close();
    await services.close();
  });

  async function signIn(secret: string): Promise<string> {
    const response = await app.inject({
      method: "POST",
      url: "/ui/login",
      headers: CONSOLE_POST,
      payload: { token: secret, next: "/ui/subjects/invoice" },
    });
    expect(response.statusCode).toBe(204);
    expect(response.headers["hx-redirect"]).toBe("/ui/subjects/invoice");
    const cookie = String(response.headers["set-cookie"]);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    expect(cookie).not.toContain(secret);
    return cookie.split(";")[0] as string;
  }

  test("pages ask for sign-in first; the browser at / is still redirected", async () => {
    const page = await app.inject({ url: "/ui/subjects/invoice" });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe("/ui/login?next=%2Fui%2Fsubjects%2Finvoice");
    const root = await app.inject({ url: "/", headers: { accept: "text/html" } });
    expect(root.headers.location).toBe("/ui/");
    expect((await app.inject({ url: "/" })).statusCode).toBe(401);
    expect((await app.inject({ url: "/ui/login" })).statusCode).toBe(200);
  });

  test("an unknown token is refused with its code", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/ui/login",
      headers: CONSOLE_POST,
      payload: { token: "nope" },
    });
    expect(response.statusCode).toBe(401);
    expect(response.body).toContain("SR_UNAUTHORIZED");
    expect(response.headers["set-cookie"]).toBeUndefined();
  });

  test("a read token sees no write control and cannot use one", async () => {
    const cookie = await signIn("read-secret");
    const rollout = await app.inject({ url: "/ui/subjects/invoice/rollout", headers: { cookie } });
    expect(rollout.statusCode).toBe(200);
    expect(rollout.body).not.toContain("/rollout/rollback");
    expect(rollout.body).not.toContain("/rollout/set");
    expect(rollout.body).toContain("Your token may only read");
    const subject = await app.inject({ url: "/ui/subjects/invoice", headers: { cookie } });
    expect(subject.body).not.toContain("/state");
    expect(subject.body).not.toContain("/delete");
    const refused = await app.inject({
      method: "POST",
      url: "/ui/subjects/invoice/rollout/rollback",
      headers: { ...CONSOLE_POST, cookie },
      payload: {},
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain("SR_FORBIDDEN");
  });

  test("a write token may roll back but not delete (admin)", async () => {
    const cookie = await signIn("write-secret");
    const subject = await app.inject({ url: "/ui/subjects/invoice", headers: { cookie } });
    expect(subject.body).toContain("/state");
    expect(subject.body).not.toContain("/delete");
    const rollback = await app.inject({
      method: "POST",
      url: "/ui/subjects/invoice/rollout/rollback",
      headers: { ...CONSOLE_POST, cookie },
      payload: {},
    });
    expect(rollback.statusCode).toBe(204);
    const [event] = await services.rollout.service.history("invoice", { limit: 1 });
    expect(event?.who).toBe("writer");
    const del = await app.inject({
      method: "POST",
      url: "/ui/subjects/invoice/delete",
      headers: { ...CONSOLE_POST, cookie },
      payload: {},
    });
    expect(del.statusCode).toBe(403);
  });

  test("signing out ends the session", async () => {
    const cookie = await signIn("read-secret");
    await app.inject({ method: "POST", url: "/ui/logout", headers: { ...CONSOLE_POST, cookie } });
    expect((await app.inject({ url: "/ui/", headers: { cookie } })).statusCode).toBe(303);
  });

  test("the summary endpoint needs a token like the rest of the API", async () => {
    expect((await app.inject({ url: "/summary/subjects" })).statusCode).toBe(401);
    const ok = await app.inject({
      url: "/summary/subjects",
      headers: { authorization: "Bearer read-secret" },
    });
    expect(ok.statusCode).toBe(200);
  });
});

describe("sign-in helpers", () => {
  test.each([
    ["/ui/subjects/a", "/ui/subjects/a"],
    ["//evil.example/", "/ui/"],
    ["https://evil.example/ui/", "/ui/"],
    ["/ui//evil.example", "/ui/"],
    ["/ui/\\evil", "/ui/"],
    [undefined, "/ui/"],
  ])("next %s is followed as %s", (next, expected) => {
    expect(safeNext(next)).toBe(expected);
  });

  test("sessions expire and are bounded", () => {
    let now = 0;
    const store = new SessionStore(() => now);
    const token = { name: "t", secret: "s", scopes: ["read" as const] };
    const id = store.create(token);
    expect(store.get(id)).toBe(token);
    now += 9 * 3_600_000;
    expect(store.get(id)).toBeUndefined();
    const first = store.create(token);
    for (let i = 0; i < 1000; i++) store.create(token);
    expect(store.get(first)).toBeUndefined();
  });
});
