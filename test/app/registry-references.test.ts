/**
 * The registry through references, on every store: compatibility sees a change of a referenced definition when
 * the referencing subject registers a version pointing at the new one; lint judges the bundled form; lookup and
 * identity include references; deleting what is referenced is refused.
 */
import { afterAll, describe, expect, test } from "vitest";
import { createMemorySchemaStore } from "../../src/adapters/storage/memory-schema-store.js";
import { openSqlClient } from "../../src/adapters/storage/open-store.js";
import { createSqlSchemaStore } from "../../src/adapters/storage/sql-schema-store.js";
import type { SchemaStore } from "../../src/app/ports.js";
import { createRegistryService } from "../../src/app/registry.js";
import type { RegistryService } from "../../src/app/registry-types.js";
import type { JsonObject } from "../../src/core/json.js";
import { createTempDatabase, postgresAvailable, truncateStructregTables } from "../helpers/databases.js";

function money(currencies: string[]): JsonObject {
  return {
    $defs: {
      Amount: {
        type: "object",
        properties: { value: { type: "number" }, currency: { type: "string", enum: currencies } },
        required: ["value", "currency"],
        additionalProperties: false,
      },
    },
    type: "object",
    properties: { total: { $ref: "#/$defs/Amount" } },
    required: ["total"],
    additionalProperties: false,
  };
}

const INVOICE: JsonObject = {
  type: "object",
  properties: { number: { type: "string" }, amount: { $ref: "money.json#/$defs/Amount" } },
  required: ["number", "amount"],
  additionalProperties: false,
};

const refsTo = (version: number) => [{ name: "money.json", subject: "money", version }];

interface Harness {
  fresh(): Promise<SchemaStore>;
  dispose(): Promise<void>;
}

const HARNESSES: Array<[string, () => Promise<Harness>, boolean]> = [
  ["memory", async () => ({ fresh: async () => createMemorySchemaStore(), dispose: async () => {} }), false],
  [
    "PGlite",
    async () => {
      const client = await openSqlClient({ memory: true });
      const store = createSqlSchemaStore(client);
      return {
        fresh: async () => {
          await truncateStructregTables(client);
          return store;
        },
        dispose: () => store.close(),
      };
    },
    false,
  ],
  [
    "PostgreSQL",
    async () => {
      const db = await createTempDatabase();
      const client = await openSqlClient({ databaseUrl: db.url });
      const store = createSqlSchemaStore(client);
      return {
        fresh: async () => {
          await truncateStructregTables(client);
          return store;
        },
        dispose: async () => {
          await store.close();
          await db.drop();
        },
      };
    },
    !postgresAvailable(),
  ],
];

describe.each(HARNESSES)("registry through references: %s", (_name, factory, skip) => {
  let harness: Harness | undefined;
  async function registry(): Promise<RegistryService> {
    harness ??= await factory();
    const service = createRegistryService({ store: await harness.fresh() });
    await service.register("money", money(["EUR", "USD"]));
    return service;
  }
  afterAll(async () => harness?.dispose());

  test.skipIf(skip)(
    "a change of the referenced definition is judged when the referrer moves to it",
    async () => {
      const reg = await registry();
      await reg.register("invoice", INVOICE, { references: refsTo(1) });
      // money v2 widens the enum: fine for money itself (BACKWARD).
      expect((await reg.register("money", money(["EUR", "USD", "GBP"]))).version).toBe(2);
      // Same text pointing at money v2 is another schema: under FORWARD the widened enum breaks old readers.
      await reg.setConfig("invoice", { compatibility: "FORWARD" });
      const verdict = await reg.checkCompatibility("invoice", INVOICE, "latest", { references: refsTo(2) });
      expect(verdict.isCompatible).toBe(false);
      expect(verdict.differences).toContainEqual(
        // A string enum narrowed reads as Confluent reads it (a string schema combined with an enum).
        expect.objectContaining({
          kind: "COMBINED_TYPE_SUBSCHEMAS_CHANGED",
          path: "/properties/amount/properties/currency",
          direction: "forward",
        }),
      );
      await expect(reg.register("invoice", INVOICE, { references: refsTo(2) })).rejects.toMatchObject({
        code: "SR_INCOMPATIBLE_SCHEMA",
      });
      // Under BACKWARD it is an allowed extension and becomes version 2, with its own id.
      await reg.setConfig("invoice", { compatibility: "BACKWARD" });
      const v2 = await reg.register("invoice", INVOICE, { references: refsTo(2) });
      expect(v2).toMatchObject({ version: 2, created: true });
      const v1 = await reg.getVersion("invoice", 1);
      expect(v2.id).not.toBe(v1.id);
      expect((await reg.lookup("invoice", INVOICE, { references: refsTo(1) })).version).toBe(1);
      expect((await reg.lookup("invoice", INVOICE, { references: refsTo(2) })).version).toBe(2);
      const bundled = (await reg.getBundledSchema("invoice", 2)) as JsonObject;
      expect(JSON.stringify(bundled)).toContain("GBP");
      expect(await reg.getReferencedBy("money", 1)).toEqual([v1.id]);
      expect(await reg.getReferencedBy("money", 2)).toEqual([v2.id]);
    },
  );

  test.skipIf(skip)(
    "lint judges the bundled form: a referenced definition breaking strict mode",
    async () => {
      const reg = await registry();
      await reg.setConfig("loose", { profile: "json-schema" });
      await reg.register("loose", { type: "object", properties: { a: { type: "string" } } });
      const referrer = {
        type: "object",
        properties: { x: { $ref: "loose.json" } },
        required: ["x"],
        additionalProperties: false,
      };
      const refused = reg.register("strict", referrer, {
        references: [{ name: "loose.json", subject: "loose", version: 1 }],
      });
      await expect(refused).rejects.toMatchObject({ code: "SR_LINT_FAILED" });
      await expect(refused).rejects.toThrow("/$defs/loose_v1");
    },
  );

  test.skipIf(skip)(
    "deletes of a referenced version or subject are refused; the referrer's are not",
    async () => {
      const reg = await registry();
      await reg.register("invoice", INVOICE, { references: refsTo(1) });
      await expect(reg.deleteVersion("money", 1)).rejects.toMatchObject({ code: "SR_REFERENCE_EXISTS" });
      await expect(reg.deleteSubject("money")).rejects.toMatchObject({ code: "SR_REFERENCE_EXISTS" });
      expect(await reg.deleteSubject("invoice")).toEqual([1]);
      expect(await reg.deleteVersion("money", 1)).toBe(1);
    },
  );
});
