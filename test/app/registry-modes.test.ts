import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createMemorySchemaStore } from "../../src/adapters/storage/memory-schema-store.js";
import { openSqlClient } from "../../src/adapters/storage/open-store.js";
import { createSqlSchemaStore } from "../../src/adapters/storage/sql-schema-store.js";
import type { SchemaStore } from "../../src/app/ports.js";
import { createRegistryService } from "../../src/app/registry.js";
import type { RegistryService } from "../../src/app/registry-types.js";
import type { ErrorCode } from "../../src/core/errors.js";
import type { JsonObject } from "../../src/core/json.js";
import { createTempDatabase, postgresAvailable, truncateStructregTables } from "../helpers/databases.js";

const V1: JsonObject = {
  type: "object",
  properties: { name: { type: "string" } },
  required: ["name"],
  additionalProperties: false,
};
// Adds a required property: incompatible under BACKWARD.
const V2: JsonObject = {
  type: "object",
  properties: { name: { type: "string" }, total: { type: "number" } },
  required: ["name", "total"],
  additionalProperties: false,
};
// Open content model: breaks OpenAI strict mode (the default profile's lint).
const NOT_STRICT: JsonObject = { type: "object", properties: { note: { type: "string" } } };

async function expectCode(promise: Promise<unknown>, code: ErrorCode, errorCode?: number): Promise<void> {
  await expect(promise).rejects.toMatchObject({ code, ...(errorCode === undefined ? {} : { errorCode }) });
}

interface Harness {
  fresh(): Promise<SchemaStore>;
}

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function sqlHarness(open: () => Promise<Awaited<ReturnType<typeof openSqlClient>>>): Promise<Harness> {
  const client = await open();
  const store = createSqlSchemaStore(client);
  cleanups.push(() => store.close());
  return {
    async fresh() {
      await truncateStructregTables(client);
      return store;
    },
  };
}

const STORES: Array<[string, boolean, () => Promise<Harness>]> = [
  ["memory", true, async () => ({ fresh: async () => createMemorySchemaStore() })],
  ["PGlite", true, () => sqlHarness(() => openSqlClient({ memory: true }))],
  [
    "PostgreSQL",
    postgresAvailable(),
    async () => {
      const db = await createTempDatabase();
      cleanups.push(() => db.drop());
      return sqlHarness(() => openSqlClient({ databaseUrl: db.url }));
    },
  ],
];

describe.each(STORES)("registry modes (%s)", (_name, run, openHarness) => {
  let harness: Harness | undefined;
  beforeAll(async () => {
    if (run) harness = await openHarness();
  }, 120_000);
  const fresh = async (): Promise<RegistryService> =>
    createRegistryService({ store: await (harness as Harness).fresh() });
  const it = test.skipIf(!run);

  it("READONLY refuses every write path with 42205, and reads and an already-registered schema still answer", async () => {
    const registry = await fresh();
    const v1 = await registry.register("orders", V1);
    await registry.setMode(null, "READONLY");
    const refused: Array<() => Promise<unknown>> = [
      () => registry.register("orders", { ...V1, description: "new" }),
      () => registry.register("fresh-subject", V1),
      () => registry.deleteVersion("orders", 1),
      () => registry.deleteVersion("orders", 1, { permanent: true }),
      () => registry.deleteSubject("orders"),
      () => registry.deleteSubject("orders", { permanent: true }),
      () => registry.setVersionState("orders", 1, "DEPRECATED"),
      () => registry.setConfig(null, { compatibility: "NONE" }),
      () => registry.setConfig("orders", { compatibility: "NONE" }),
      () => registry.deleteConfig(null),
      () => registry.deleteConfig("orders"),
    ];
    for (const call of refused) await expectCode(call(), "SR_READ_ONLY_MODE", 42205);
    // Confluent answers an already-registered schema before looking at the mode.
    expect(await registry.register("orders", V1)).toMatchObject({ id: v1.id, version: 1, created: false });
    expect((await registry.getVersion("orders", 1)).state).toBe("ENABLED");
    expect(await registry.listSubjects()).toEqual(["orders"]);
    // Mode changes are always allowed (else a READONLY registry could never be opened again).
    expect(await registry.setMode(null, "READWRITE")).toBe("READWRITE");
    expect(await registry.deleteVersion("orders", 1)).toBe(1);
  });

  it("a subject's READONLY leaves other subjects writable; a global READONLY_OVERRIDE beats a subject's READWRITE", async () => {
    const registry = await fresh();
    await registry.setMode("orders", "readonly");
    await expectCode(registry.register("orders", V1), "SR_READ_ONLY_MODE");
    expect((await registry.register("invoices", V1)).created).toBe(true);
    await registry.setMode("invoices", "READWRITE");
    await registry.setMode(null, "READONLY");
    // The subject's own READWRITE wins over a global READONLY …
    await registry.setConfig("invoices", { compatibility: "NONE" });
    expect((await registry.register("invoices", V2)).created).toBe(true);
    await registry.setMode(null, "READONLY_OVERRIDE");
    // … but not over READONLY_OVERRIDE.
    await expectCode(registry.deleteSubject("invoices"), "SR_READ_ONLY_MODE");
    expect(await registry.getMode("invoices", { defaultToGlobal: true })).toBe("READONLY_OVERRIDE");
  });

  it("getMode, setMode and deleteMode answer as Confluent's /mode", async () => {
    const registry = await fresh();
    expect(await registry.getMode(null)).toBe("READWRITE");
    await expectCode(registry.getMode("orders"), "SR_SUBJECT_MODE_NOT_FOUND", 40409);
    expect(await registry.getMode("orders", { defaultToGlobal: true })).toBe("READWRITE");
    await expectCode(registry.setMode("orders", "SIDEWAYS"), "SR_INVALID_MODE", 42204);
    expect(await registry.setMode("orders", "Import")).toBe("IMPORT");
    expect(await registry.getMode("orders")).toBe("IMPORT");
    expect(await registry.deleteMode("orders")).toBe("IMPORT");
    await expectCode(registry.deleteMode("orders"), "SR_SUBJECT_NOT_FOUND", 40401);
  });

  it("IMPORT is entered only on an empty registry or subject unless forced", async () => {
    const registry = await fresh();
    await registry.register("orders", V1);
    await expectCode(registry.setMode(null, "IMPORT"), "SR_IMPORT_NOT_EMPTY", 42205);
    await expectCode(registry.setMode("orders", "IMPORT"), "SR_IMPORT_NOT_EMPTY", 42205);
    expect(await registry.getMode(null)).toBe("READWRITE");
    expect(await registry.setMode("invoices", "IMPORT")).toBe("IMPORT");
    expect(await registry.setMode("orders", "IMPORT", { force: true })).toBe("IMPORT");
    // Already in IMPORT: setting it again needs no emptiness.
    expect(await registry.setMode("orders", "IMPORT")).toBe("IMPORT");
    await registry.deleteSubject("orders");
    expect(await registry.setMode(null, "IMPORT")).toBe("IMPORT");
  });

  it("IMPORT registers with exactly the id and version given, without compatibility or lint", async () => {
    const registry = await fresh();
    await registry.setMode(null, "IMPORT");
    expect(await registry.register("orders", V1, { id: 40, version: 2 })).toMatchObject({
      id: 40,
      version: 2,
      created: true,
    });
    expect(await registry.register("orders", V2, { id: 41, version: 3 })).toMatchObject({
      id: 41,
      version: 3,
    });
    expect(await registry.register("notes", NOT_STRICT, { id: 7, version: 1 })).toMatchObject({ id: 7 });
    // A re-run of the same import changes nothing.
    expect(await registry.register("orders", V1, { id: 40, version: 2 })).toMatchObject({
      id: 40,
      version: 2,
      created: false,
    });
    // Without an id: an already-registered schema answers as usual, a new one is refused (Confluent).
    expect(await registry.register("orders", V1)).toMatchObject({ id: 40, version: 2, created: false });
    await expectCode(
      registry.register("fresh", { ...V2, title: "new" }),
      "SR_READ_WRITE_MODE_REQUIRED",
      42205,
    );
    await expectCode(
      registry.register("other", { ...V2, title: "other" }, { id: 40, version: 1 }),
      "SR_IMPORT_ID_CONFLICT",
      42205,
    );
    await expectCode(
      registry.register("orders", NOT_STRICT, { id: 50, version: 2 }),
      "SR_IMPORT_VERSION_CONFLICT",
    );
    await expectCode(
      registry.register("other", V2, { id: 60, version: 1 }),
      "SR_IMPORT_SCHEMA_HAS_ID",
      42205,
    );
    expect((await registry.getSchemaById(40)).schema).toBe(JSON.stringify(V1));
    expect(await registry.listVersions("orders")).toEqual([2, 3]);
  });

  it("after an import, READWRITE assigns ids above every imported one and the next version after the highest", async () => {
    const registry = await fresh();
    await registry.setMode(null, "IMPORT");
    await registry.register("orders", V1, { id: 500, version: 9 });
    await registry.setMode(null, "READWRITE");
    await expectCode(registry.register("orders", V2, { id: 501 }), "SR_IMPORT_MODE_REQUIRED", 42205);
    await registry.setConfig("orders", { compatibility: "NONE" });
    const next = await registry.register("orders", V2);
    expect(next.version).toBe(10);
    expect(next.id).toBeGreaterThan(500);
    // An explicit id equal to the one the schema already has is Confluent's idempotent answer, in any mode.
    expect(await registry.register("orders", V2, { id: next.id })).toMatchObject({
      id: next.id,
      created: false,
    });
  });

  it("a mode set between the registry's reads and the store's lock is the one enforced", async () => {
    const inner = await (harness as Harness).fresh();
    let armed = true;
    const racing = new Proxy(inner, {
      get(target, key, receiver) {
        if (key !== "register") return Reflect.get(target, key, receiver);
        const register: SchemaStore["register"] = async (input, guard) => {
          if (armed) {
            armed = false;
            await target.setMode(input.subject, "READONLY");
          }
          return target.register(input, guard);
        };
        return register;
      },
    });
    const registry = createRegistryService({ store: racing });
    await expectCode(registry.register("orders", V1), "SR_READ_ONLY_MODE");
    expect(await registry.listSubjects()).toEqual([]);
  });
});
