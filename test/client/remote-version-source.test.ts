import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createRemoteVersionSource } from "../../src/client/remote-version-source.js";
import { startTestRegistry, type TestRegistry } from "../cli/registry-server.js";
import { countingFetch } from "./counting-fetch.js";

const V1 = {
  type: "object",
  properties: { label: { type: "string", enum: ["bug", "feature"] } },
  required: ["label"],
  additionalProperties: false,
};
const V2 = { ...V1, properties: { label: { type: "string", enum: ["bug", "feature", "question"] } } };

let server: TestRegistry;
beforeAll(async () => {
  server = await startTestRegistry();
});
afterAll(async () => {
  await server.close();
});

let counter = 0;
function subject(): string {
  counter += 1;
  return `remote-source-${counter}`;
}

/** A source over the test registry with a hand-driven clock. */
function sourceWithClock(ttlMs = 1000) {
  const net = countingFetch();
  const clock = { now: 0 };
  const source = createRemoteVersionSource({
    url: server.url,
    fetch: net.fetch,
    ttlMs,
    clock: () => clock.now,
  });
  return { source, net, clock };
}

describe("createRemoteVersionSource", () => {
  test("reads every version with its id, fingerprint, state and parsed schema, oldest first", async () => {
    const s = subject();
    const one = await server.registry.register(s, V1);
    const two = await server.registry.register(s, V2);
    const { source } = sourceWithClock();
    const versions = await source.versions(s);
    expect(versions).toEqual([
      { version: 1, id: one.id, fingerprint: one.fingerprint, state: "ENABLED", schema: V1 },
      { version: 2, id: two.id, fingerprint: two.fingerprint, state: "ENABLED", schema: V2 },
    ]);
  });

  test("answers [] for a subject the registry does not know", async () => {
    const { source } = sourceWithClock();
    expect(await source.versions("never-registered")).toEqual([]);
  });

  test("serves the cached list without a request until the TTL passes", async () => {
    const s = subject();
    await server.registry.register(s, V1);
    const { source, net, clock } = sourceWithClock(1000);
    await source.versions(s);
    const afterFirst = net.requests.length;
    clock.now = 999;
    for (let i = 0; i < 100; i++) await source.versions(s);
    expect(net.requests.length).toBe(afterFirst);
  });

  test("shares one round of requests between concurrent first callers", async () => {
    const s = subject();
    await server.registry.register(s, V1);
    const { source, net } = sourceWithClock();
    await Promise.all([source.versions(s), source.versions(s), source.versions(s)]);
    expect(net.requests.filter((r) => r.path.endsWith("/versions"))).toHaveLength(1);
  });

  test("after the TTL answers the stale list at once and refreshes it in the background", async () => {
    const s = subject();
    await server.registry.register(s, V1);
    const { source, clock } = sourceWithClock(1000);
    expect(await source.versions(s)).toHaveLength(1);
    await server.registry.register(s, V2);
    clock.now = 1000;
    expect(await source.versions(s)).toHaveLength(1);
    await source.settled();
    expect((await source.versions(s)).map((v) => v.version)).toEqual([1, 2]);
  });

  test("sees a state change after a refresh", async () => {
    const s = subject();
    await server.registry.register(s, V1);
    await server.registry.register(s, V2);
    const { source, clock } = sourceWithClock(1000);
    await source.versions(s);
    await server.registry.setVersionState(s, 2, "DISABLED");
    clock.now = 5000;
    await source.versions(s);
    await source.settled();
    expect((await source.versions(s)).map((v) => v.state)).toEqual(["ENABLED", "DISABLED"]);
  });

  test("keeps serving the cached list when a refresh fails, and says why", async () => {
    const s = subject();
    await server.registry.register(s, V1);
    const { source, net, clock } = sourceWithClock(1000);
    const warm = await source.versions(s);
    net.fail = true;
    clock.now = 2000;
    expect(await source.versions(s)).toBe(warm);
    await source.settled();
    expect(await source.versions(s)).toBe(warm);
    expect(source.lastError?.code).toBe("SR_SERVER_UNREACHABLE");
    // The next refresh that works clears the error.
    net.fail = false;
    clock.now = 4000;
    await source.versions(s);
    await source.settled();
    expect(source.lastError).toBeUndefined();
  });

  test("does not retry a failed refresh before another TTL has passed", async () => {
    const s = subject();
    await server.registry.register(s, V1);
    const { source, net, clock } = sourceWithClock(1000);
    await source.versions(s);
    net.fail = true;
    clock.now = 1000;
    await source.versions(s);
    await source.settled();
    const attempts = net.requests.length;
    clock.now = 1500;
    await source.versions(s);
    await source.settled();
    expect(net.requests.length).toBe(attempts);
  });

  test("rejects with SR_SERVER_UNREACHABLE when a subject it never read cannot be fetched", async () => {
    const { source, net } = sourceWithClock();
    net.fail = true;
    await expect(source.versions(subject())).rejects.toMatchObject({ code: "SR_SERVER_UNREACHABLE" });
    expect(source.lastError?.code).toBe("SR_SERVER_UNREACHABLE");
  });

  test("keeps one parsed schema per fingerprint across refreshes (a stable identity for compiled caches)", async () => {
    const s = subject();
    await server.registry.register(s, V1);
    const { source, clock } = sourceWithClock(1000);
    const [before] = await source.versions(s);
    clock.now = 1000;
    await source.versions(s);
    await source.settled();
    const [after] = await source.versions(s);
    expect(after).not.toBe(before);
    expect(after?.schema).toBe(before?.schema);
  });

  test("invalidate() makes the next call fetch again", async () => {
    const s = subject();
    await server.registry.register(s, V1);
    const { source } = sourceWithClock(60_000);
    expect(await source.versions(s)).toHaveLength(1);
    await server.registry.register(s, V2);
    source.invalidate(s);
    expect(await source.versions(s)).toHaveLength(2);
  });

  test("cached() answers nothing for a subject not read yet, and fetches nothing", async () => {
    const s = subject();
    await server.registry.register(s, V1);
    const { source, net } = sourceWithClock();
    expect(source.cached?.(s)).toBeUndefined();
    expect(net.requests).toHaveLength(0);
  });

  test("cached() answers the list versions() answers, synchronously and without a request", async () => {
    const s = subject();
    await server.registry.register(s, V1);
    const { source, net } = sourceWithClock(1000);
    const warm = await source.versions(s);
    const afterFirst = net.requests.length;
    expect(source.cached?.(s)).toBe(warm);
    expect(net.requests.length).toBe(afterFirst);
  });

  test("cached() after the TTL answers the stale list and refreshes it in the background, once", async () => {
    const s = subject();
    await server.registry.register(s, V1);
    const { source, net, clock } = sourceWithClock(1000);
    const warm = await source.versions(s);
    await server.registry.register(s, V2);
    clock.now = 1000;
    expect(source.cached?.(s)).toBe(warm);
    expect(source.cached?.(s)).toBe(warm);
    await source.settled();
    expect(net.requests.filter((r) => r.path.endsWith("/versions"))).toHaveLength(2);
    expect(source.cached?.(s)?.map((v) => v.version)).toEqual([1, 2]);
  });
});
