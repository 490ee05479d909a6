import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Services } from "../../src/compose.js";
import { SignInLimiter } from "../../src/ui/sign-in-limiter.js";
import { CONSOLE_POST, consoleApp } from "./helpers.js";

const LIMITS = { perAddress: 3, global: 5, windowMs: 60_000, maxAddresses: 4 };

function limiterAt(start = 0) {
  const clock = { now: start };
  return { clock, limiter: new SignInLimiter(LIMITS, () => clock.now) };
}

describe("sign-in limiter", () => {
  test("refuses an address past its attempts with SR_SIGNIN_THROTTLED and the wait, then lets it try again", () => {
    const { clock, limiter } = limiterAt();
    for (let i = 0; i < 3; i++) limiter.take("10.0.0.1");
    let refused: unknown;
    try {
      limiter.take("10.0.0.1");
    } catch (err) {
      refused = err;
    }
    expect(refused).toMatchObject({
      code: "SR_SIGNIN_THROTTLED",
      status: 429,
      details: { retryAfterMs: 20_000 },
    });
    limiter.take("10.0.0.2"); // another address still may
    clock.now += 20_000;
    expect(() => limiter.take("10.0.0.1")).not.toThrow();
  });

  test("bounds attempts from everyone together", () => {
    const { limiter } = limiterAt();
    for (const address of ["a", "a", "b", "b", "c"]) limiter.take(address);
    expect(() => limiter.take("d")).toThrow(
      expect.objectContaining({ message: expect.stringContaining("everyone") }),
    );
  });

  test("remembers at most maxAddresses addresses", () => {
    const { clock, limiter } = limiterAt();
    for (let i = 0; i < 50; i++) {
      clock.now += 60_000; // the global bucket refills between attempts
      limiter.take(`10.0.0.${i}`);
    }
    expect(limiter.size).toBe(4);
  });
});

describe("POST /ui/login is throttled", () => {
  let app: FastifyInstance;
  let services: Services;
  beforeAll(async () => {
    ({ app, services } = await consoleApp([{ name: "reader", secret: "read-secret", scopes: ["read"] }]));
  });
  afterAll(async () => {
    await app.close();
    await services.close();
  });

  test("the 11th attempt within a minute answers 429 with Retry-After, even with the right token", async () => {
    const attempt = (token: string) =>
      app.inject({ method: "POST", url: "/ui/login", headers: CONSOLE_POST, payload: { token } });
    for (let i = 0; i < 10; i++) expect((await attempt("guess")).statusCode).toBe(401);
    const throttled = await attempt("read-secret");
    expect(throttled.statusCode).toBe(429);
    expect(Number(throttled.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(throttled.body).toContain("SR_SIGNIN_THROTTLED");
    expect(throttled.headers["set-cookie"]).toBeUndefined();
  });
});
