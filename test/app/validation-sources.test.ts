import { describe, expect, test } from "vitest";
import { createMemorySchemaStore } from "../../src/adapters/storage/memory-schema-store.js";
import { createLocalVersionSource } from "../../src/app/local-version-source.js";
import type { SchemaStore } from "../../src/app/ports.js";
import { createRegistryService } from "../../src/app/registry.js";
import { V1, V2_WITH_DEFAULT } from "./validation-fixtures.js";

/** The memory store, counting listVersions calls. */
function countingStore(): { store: SchemaStore; reads: () => number } {
  const store = createMemorySchemaStore();
  let reads = 0;
  const listVersions = store.listVersions.bind(store);
  store.listVersions = (subject, options) => {
    reads++;
    return listVersions(subject, options);
  };
  return { store, reads: () => reads };
}

async function setup() {
  const { store, reads } = countingStore();
  let clock = 0;
  const source = createLocalVersionSource(store, { ttlMs: 1000, nowMs: () => clock });
  const registry = createRegistryService({ store, onChange: (s) => source.invalidate(s) });
  await registry.setConfig(null, { compatibility: "NONE", profile: "json-schema" });
  await registry.register("tickets", V1);
  return { source, registry, reads, tick: (ms: number) => (clock += ms) };
}

describe("local version source", () => {
  test("answers a subject's undeleted versions, oldest first, with parsed schemas", async () => {
    const { source, registry } = await setup();
    await registry.register("tickets", V2_WITH_DEFAULT);
    const versions = await source.versions("tickets");
    expect(versions.map((v) => [v.version, v.state])).toEqual([
      [1, "ENABLED"],
      [2, "ENABLED"],
    ]);
    expect(versions[0]?.schema).toEqual(V1);
  });

  test("answers [] for an unknown subject", async () => {
    const { source } = await setup();
    expect(await source.versions("nope")).toEqual([]);
  });

  test("reuses a list within the TTL and reads again after it", async () => {
    const { source, reads, tick } = await setup();
    const before = reads();
    await source.versions("tickets");
    await source.versions("tickets");
    expect(reads() - before).toBe(1);
    tick(1001);
    await source.versions("tickets");
    expect(reads() - before).toBe(2);
  });

  test("cached() answers the loaded list synchronously, only while versions() would reuse it", async () => {
    const { source, registry, reads, tick } = await setup();
    expect(source.cached?.("tickets")).toBeUndefined();
    const pending = source.versions("tickets");
    // In flight: nothing to answer without waiting yet.
    expect(source.cached?.("tickets")).toBeUndefined();
    const loaded = await pending;
    const before = reads();
    expect(source.cached?.("tickets")).toBe(loaded);
    expect(reads()).toBe(before);
    tick(1001);
    expect(source.cached?.("tickets")).toBeUndefined();
    await source.versions("tickets");
    expect(source.cached?.("tickets")?.map((v) => v.version)).toEqual([1]);
    // A registration invalidates: the new version is never hidden behind the cached list.
    await registry.register("tickets", V2_WITH_DEFAULT);
    expect(source.cached?.("tickets")).toBeUndefined();
    await source.versions("tickets");
    expect(source.cached?.("tickets")?.map((v) => v.version)).toEqual([1, 2]);
  });

  test("shares one query between concurrent misses", async () => {
    const { source, reads } = await setup();
    const before = reads();
    const [a, b] = await Promise.all([source.versions("tickets"), source.versions("tickets")]);
    expect(a).toBe(b);
    expect(reads() - before).toBe(1);
  });

  test.each([
    [
      "registration",
      async (r: Awaited<ReturnType<typeof setup>>["registry"]) => {
        await r.register("tickets", V2_WITH_DEFAULT);
      },
    ],
    [
      "state change",
      async (r: Awaited<ReturnType<typeof setup>>["registry"]) => {
        await r.setVersionState("tickets", 1, "DEPRECATED");
      },
    ],
    [
      "version delete",
      async (r: Awaited<ReturnType<typeof setup>>["registry"]) => {
        await r.deleteVersion("tickets", 1);
      },
    ],
    [
      "subject delete",
      async (r: Awaited<ReturnType<typeof setup>>["registry"]) => {
        await r.deleteSubject("tickets");
      },
    ],
  ])("sees a %s at once (the registry invalidates the subject)", async (_name, change) => {
    const { source, registry } = await setup();
    const before = await source.versions("tickets");
    await change(registry);
    const after = await source.versions("tickets");
    expect(after).not.toEqual(before);
  });

  test("an idempotent re-registration does not invalidate", async () => {
    const { source, registry, reads } = await setup();
    await source.versions("tickets");
    const before = reads();
    await registry.register("tickets", V1);
    await source.versions("tickets");
    expect(reads()).toBe(before);
  });

  test("a failed query is not cached", async () => {
    const store = createMemorySchemaStore();
    let fail = true;
    const listVersions = store.listVersions.bind(store);
    store.listVersions = (subject, options) =>
      fail ? Promise.reject(new Error("db down")) : listVersions(subject, options);
    const source = createLocalVersionSource(store);
    await expect(source.versions("tickets")).rejects.toThrow("db down");
    fail = false;
    expect(await source.versions("tickets")).toEqual([]);
  });

  test("a load that started before an invalidation does not fill the cache", async () => {
    const { source, reads } = await setup();
    const pending = source.versions("tickets");
    source.invalidate();
    await pending;
    const before = reads();
    await source.versions("tickets");
    expect(reads()).toBe(before + 1);
  });

  test("unknown subjects are remembered in a bounded cache of their own and evict no real subject", async () => {
    const { store, reads } = countingStore();
    const source = createLocalVersionSource(store, { ttlMs: 60_000, maxSubjects: 10, maxMissing: 5 });
    const registry = createRegistryService({ store });
    await registry.setConfig(null, { compatibility: "NONE", profile: "json-schema" });
    await registry.register("tickets", V1);
    await source.versions("tickets");
    await source.versions("unknown-0");
    for (let i = 1; i <= 1000; i++) await source.versions(`unknown-${i}`);
    const before = reads();
    // The real subject is still cached; the first unknown name was dropped (the cache did not grow).
    await source.versions("tickets");
    expect(reads()).toBe(before);
    await source.versions("unknown-0");
    expect(reads()).toBe(before + 1);
    // The most recent unknown names are remembered (no query per request for a name asked again).
    await source.versions("unknown-1000");
    expect(reads()).toBe(before + 1);
  });

  test("real subjects past the bound drop the least recently used list", async () => {
    const { store, reads } = countingStore();
    const source = createLocalVersionSource(store, { ttlMs: 60_000, maxSubjects: 2 });
    const registry = createRegistryService({ store });
    await registry.setConfig(null, { compatibility: "NONE", profile: "json-schema" });
    for (const subject of ["a", "b", "c"]) await registry.register(subject, V1);
    for (const subject of ["a", "b", "c"]) await source.versions(subject);
    const before = reads();
    await source.versions("c");
    expect(reads()).toBe(before);
    await source.versions("a");
    expect(reads()).toBe(before + 1);
  });
});
