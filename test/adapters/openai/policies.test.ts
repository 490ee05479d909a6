import { describe, expect, test } from "vitest";
import { InFlightLimiter } from "../../../src/adapters/openai/in-flight-limiter.js";
import { estimateTokens, RateLimiter } from "../../../src/adapters/openai/rate-limiter.js";
import { backoffMs, retryAfterMs } from "../../../src/adapters/openai/retry-after.js";

const headers = (values: Record<string, string>) => new Headers(values);

describe("retryAfterMs", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  test.each([
    [{}, undefined],
    [{ "retry-after": "2" }, 2000],
    [{ "retry-after": "0.5" }, 500],
    [{ "retry-after-ms": "150" }, 150],
    [{ "retry-after-ms": "150", "retry-after": "120" }, 150],
    [{ "retry-after-ms": "soon", "retry-after": "3" }, 3000],
    [{ "retry-after": "Thu, 01 Jan 2026 00:00:10 GMT" }, 10_000],
    [{ "retry-after": "Wed, 31 Dec 2025 23:00:00 GMT" }, 0],
    [{ "retry-after": "-1" }, undefined],
    [{ "retry-after": "whenever" }, undefined],
  ])("reads %j as %s ms", (values, expected) => {
    expect(retryAfterMs(headers(values as Record<string, string>), now)).toBe(expected);
  });
});

describe("backoffMs", () => {
  test.each([
    [0, 200],
    [1, 400],
    [2, 800],
    [5, 2000],
  ])("retry %i waits at most %i ms (base 200, cap 2000)", (retry, ceiling) => {
    expect(backoffMs(retry, 200, 2000, () => 0)).toBe(0);
    expect(backoffMs(retry, 200, 2000, () => 0.999_999)).toBe(ceiling - 1);
  });
});

describe("InFlightLimiter", () => {
  test("grants up to the limit, queues up to the bound, refuses beyond", async () => {
    const limiter = new InFlightLimiter(2, 1);
    const a = await limiter.acquire();
    const b = await limiter.acquire();
    const queued = limiter.acquire();
    expect(await limiter.acquire()).toBe("queue_full");
    expect([limiter.inFlight, limiter.waiting]).toEqual([2, 1]);
    if (typeof a !== "function" || typeof b !== "function") throw new Error("expected permits");
    a();
    const c = await queued;
    expect(typeof c).toBe("function");
    expect([limiter.inFlight, limiter.waiting]).toEqual([2, 0]);
  });

  test("a waiter whose signal aborts leaves the queue at once", async () => {
    const limiter = new InFlightLimiter(1, 5);
    const held = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort();
    expect(await waiting).toBe("aborted");
    expect(limiter.waiting).toBe(0);
    if (typeof held === "function") held();
    expect(limiter.inFlight).toBe(0);
  });

  test("releasing twice frees one permit", async () => {
    const limiter = new InFlightLimiter(1, 0);
    const permit = await limiter.acquire();
    if (typeof permit !== "function") throw new Error("expected a permit");
    permit();
    permit();
    expect(limiter.inFlight).toBe(0);
  });
});

describe("RateLimiter", () => {
  test("admits a burst up to the per-minute limit, then asks callers to wait in order", () => {
    const limiter = new RateLimiter(60, 0, 0);
    for (let i = 0; i < 60; i++) expect(limiter.reserve(1, 0, 0)).toBe(0);
    expect(limiter.reserve(1, 0, 5_000)).toBe(1000);
    expect(limiter.reserve(1, 0, 5_000)).toBe(2000);
    expect(limiter.reserve(1, 0, 2_500)).toBeUndefined();
    expect(limiter.reserve(1, 3000, 5_000)).toBe(0);
  });

  test("limits estimated tokens (characters ÷ 4)", () => {
    expect(estimateTokens(4001)).toBe(1001);
    const limiter = new RateLimiter(0, 1000, 0);
    expect(limiter.reserve(800, 0, 0)).toBe(0);
    expect(limiter.reserve(400, 0, 60_000)).toBe(12_000);
  });

  test("is off with both limits at 0", () => {
    expect(new RateLimiter(0, 0, 0).off).toBe(true);
  });
});
