import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createMemorySchemaStore } from "../../src/adapters/storage/memory-schema-store.js";
import { openSqlClient } from "../../src/adapters/storage/open-store.js";
import { createSqlSchemaStore } from "../../src/adapters/storage/sql-schema-store.js";
import type { SchemaStore, SubjectConfig } from "../../src/app/ports.js";
import { createRegistryService } from "../../src/app/registry.js";
import type { JsonObject } from "../../src/core/json.js";
import { createTempDatabase, postgresAvailable } from "../helpers/databases.js";

const V1: JsonObject = {
  type: "object",
  properties: { name: { type: "string" }, status: { type: "string" } },
  required: ["name", "status"],
  additionalProperties: false,
};
// Drops a required property: refused under BACKWARD, accepted under NONE.
const V2_INCOMPATIBLE: JsonObject = {
  type: "object",
  properties: { name: { type: "string" }, status: { type: "string" }, total: { type: "number" } },
  required: ["name", "status", "total"],
  additionalProperties: false,
};

/**
 * A store whose next `register` first lets a config change land, as if another request changed the config
 * after the registry read it and before the registration took the subject's lock.
 */
function withConfigChangeBeforeLock(
  store: SchemaStore,
  subject: string | null,
  patch: SubjectConfig,
): SchemaStore {
  let armed = true;
  return new Proxy(store, {
    get(target, key, receiver) {
      if (key !== "register") return Reflect.get(target, key, receiver);
      const register: SchemaStore["register"] = async (input, guard) => {
        if (armed) {
          armed = false;
          await target.setConfig(subject, patch);
        }
        return target.register(input, guard);
      };
      return register;
    },
  });
}

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

const STORES: Array<[string, boolean, () => Promise<SchemaStore>]> = [
  ["memory", true, async () => createMemorySchemaStore()],
  [
    "PGlite",
    true,
    async () => {
      const store = createSqlSchemaStore(await openSqlClient({ memory: true }));
      cleanups.push(() => store.close());
      return store;
    },
  ],
  [
    "PostgreSQL",
    postgresAvailable(),
    async () => {
      const db = await createTempDatabase();
      const store = createSqlSchemaStore(await openSqlClient({ databaseUrl: db.url }));
      cleanups.push(async () => {
        await store.close();
        await db.drop();
      });
      return store;
    },
  ],
];

describe.each(STORES)(
  "register checks the config in force under the subject's lock (%s)",
  (_n, run, openStore) => {
    // One store per kind for the three tests (a PGlite instance is slow to start and never gives its memory
    // back); each test uses its own subjects and leaves the global level at NONE.
    let shared: SchemaStore | undefined;
    beforeAll(async () => {
      if (run) shared = await openStore();
    }, 120_000);
    const open = async () => shared as SchemaStore;
    test.skipIf(!run)(
      "a subject's level raised between the read and the lock refuses the version",
      async () => {
        const store = await open();
        const registry = createRegistryService({ store });
        await registry.setConfig("race", { compatibility: "NONE" });
        await registry.register("race", V1);
        const racing = createRegistryService({
          store: withConfigChangeBeforeLock(store, "race", { compatibility: "BACKWARD" }),
        });
        await expect(racing.register("race", V2_INCOMPATIBLE)).rejects.toMatchObject({
          code: "SR_INCOMPATIBLE_SCHEMA",
          details: { level: "BACKWARD" },
        });
        expect(await registry.listVersions("race")).toEqual([1]);
      },
    );

    test.skipIf(!run)("a global level raised between the read and the lock refuses the version", async () => {
      const store = await open();
      const registry = createRegistryService({ store });
      await registry.setConfig(null, { compatibility: "NONE" });
      await registry.register("race-global", V1);
      const racing = createRegistryService({
        store: withConfigChangeBeforeLock(store, null, { compatibility: "BACKWARD" }),
      });
      await expect(racing.register("race-global", V2_INCOMPATIBLE)).rejects.toMatchObject({
        code: "SR_INCOMPATIBLE_SCHEMA",
      });
      await registry.setConfig(null, { compatibility: "NONE" });
      expect((await registry.register("race-global", V2_INCOMPATIBLE)).version).toBe(2);
    });

    test.skipIf(!run)("a level lowered between the read and the lock lets the version in", async () => {
      const store = await open();
      const registry = createRegistryService({ store });
      await registry.setConfig("race-down", { compatibility: "BACKWARD" });
      await registry.register("race-down", V1);
      const racing = createRegistryService({
        store: withConfigChangeBeforeLock(store, "race-down", { compatibility: "NONE" }),
      });
      expect((await racing.register("race-down", V2_INCOMPATIBLE)).version).toBe(2);
    });
  },
);
