import { describe, expect, test } from "vitest";
import { createMemorySchemaStore } from "../../src/adapters/storage/memory-schema-store.js";
import { createLocalVersionSource } from "../../src/app/local-version-source.js";
import { createRegistryService } from "../../src/app/registry.js";
import { StructregError } from "../../src/core/errors.js";
import { V1 } from "./validation-fixtures.js";

/** The memory store whose listVersions can be made to fail as a store that went away does. */
async function setup() {
  const store = createMemorySchemaStore();
  const registry = createRegistryService({ store });
  await registry.setConfig(null, { compatibility: "NONE", profile: "json-schema" });
  await registry.register("tickets", V1);
  let away = false;
  const listVersions = store.listVersions.bind(store);
  store.listVersions = (subject, options) =>
    away
      ? Promise.reject(new StructregError("SR_STORE_UNAVAILABLE", "the database cannot be reached"))
      : listVersions(subject, options);
  let clock = 0;
  const source = createLocalVersionSource(store, { ttlMs: 1000, nowMs: () => clock });
  return {
    source,
    setAway: (value: boolean) => {
      away = value;
    },
    tick: (ms: number) => {
      clock += ms;
    },
  };
}

describe("local version source while the store is away", () => {
  test("keeps answering a subject it has seen with the list it had, and refreshes once the store is back", async () => {
    const { source, setAway, tick } = await setup();
    expect((await source.versions("tickets")).map((v) => v.version)).toEqual([1]);
    setAway(true);
    tick(5000);
    expect((await source.versions("tickets")).map((v) => v.version)).toEqual([1]);
    tick(5000);
    expect((await source.versions("tickets")).map((v) => v.version)).toEqual([1]);
    setAway(false);
    tick(5000);
    expect((await source.versions("tickets")).map((v) => v.version)).toEqual([1]);
  });

  test("a subject never seen fails with the store's error", async () => {
    const { source, setAway } = await setup();
    setAway(true);
    await expect(source.versions("tickets")).rejects.toMatchObject({ code: "SR_STORE_UNAVAILABLE" });
  });
});
