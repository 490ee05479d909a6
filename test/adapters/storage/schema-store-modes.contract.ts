import { describe, expect, test } from "vitest";
import type { RegistrationConfigs } from "../../../src/app/ports.js";
import { StructregError } from "../../../src/core/errors.js";
import { allow, type FreshStore, input } from "./schema-store-fixtures.js";

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StructregError);
  return (err as StructregError).code;
}

/** Modes and IMPORT's explicit ids and versions: the part of the SchemaStore contract issue 12 adds. */
export function describeModesContract(fresh: FreshStore): void {
  describe("modes", () => {
    test("stores, reads and removes a subject's and the global mode", async () => {
      const store = await fresh();
      expect(await store.getModes("orders")).toEqual({ subject: undefined, global: undefined });
      expect(await store.setMode(null, "READONLY")).toBe(true);
      expect(await store.setMode("orders", "IMPORT")).toBe(true);
      expect(await store.getModes("orders")).toEqual({ subject: "IMPORT", global: "READONLY" });
      expect(await store.getModes(null)).toEqual({ subject: undefined, global: "READONLY" });
      expect(await store.deleteMode("orders")).toBe("IMPORT");
      expect(await store.deleteMode("orders")).toBeUndefined();
      expect(await store.getModes("orders")).toEqual({ subject: undefined, global: "READONLY" });
    });

    test("ifEmpty writes only when the scope has no live version (soft-deleted ones do not count)", async () => {
      const store = await fresh();
      await store.register(input("orders", 1), allow);
      expect(await store.setMode("orders", "IMPORT", { ifEmpty: true })).toBe(false);
      expect(await store.setMode(null, "IMPORT", { ifEmpty: true })).toBe(false);
      expect(await store.setMode("invoices", "IMPORT", { ifEmpty: true })).toBe(true);
      expect((await store.getModes("orders")).subject).toBeUndefined();
      await store.softDeleteSubject("orders");
      expect(await store.setMode(null, "IMPORT", { ifEmpty: true })).toBe(true);
      expect((await store.getModes(null)).global).toBe("IMPORT");
    });

    test("the registration guard gets the modes read under the lock", async () => {
      const store = await fresh();
      await store.setMode(null, "IMPORT");
      await store.setMode("orders", "READONLY");
      let seen: RegistrationConfigs | undefined;
      await store.register(input("orders", 1), (_undeleted, configs) => {
        seen = configs;
      });
      expect(seen?.modes).toEqual({ subject: "READONLY", global: "IMPORT" });
    });

    test("a permanent subject delete removes its mode", async () => {
      const store = await fresh();
      await store.register(input("orders", 1), allow);
      await store.setMode("orders", "READONLY");
      await store.softDeleteSubject("orders");
      await store.hardDeleteSubject("orders");
      expect((await store.getModes("orders")).subject).toBeUndefined();
    });
  });

  describe("explicit ids and versions (IMPORT)", () => {
    test("stores under exactly the id and version asked, gaps included", async () => {
      const store = await fresh();
      expect(await store.register({ ...input("orders", 1), id: 100, version: 3 }, allow)).toEqual({
        id: 100,
        version: 3,
        created: true,
      });
      expect(await store.register({ ...input("orders", 2), id: 7, version: 1 }, allow)).toEqual({
        id: 7,
        version: 1,
        created: true,
      });
      expect((await store.listVersions("orders")).map((v) => [v.version, v.id])).toEqual([
        [1, 7],
        [3, 100],
      ]);
      expect((await store.getSchemaById(100))?.fingerprint).toBe("fp-1");
    });

    test("a new version after an import continues after the highest version, with an id above every imported one", async () => {
      const store = await fresh();
      await store.register({ ...input("orders", 1), id: 50, version: 5 }, allow);
      const next = await store.register(input("orders", 2), allow);
      expect(next.version).toBe(6);
      expect(next.id).toBeGreaterThan(50);
      const other = await store.register(input("invoices", 3), allow);
      expect(other.id).toBeGreaterThan(next.id);
    });

    test("an id only is stored at the next version; a version only gets a new id", async () => {
      const store = await fresh();
      expect(await store.register({ ...input("orders", 1), id: 9 }, allow)).toMatchObject({
        id: 9,
        version: 1,
      });
      const second = await store.register({ ...input("orders", 2), version: 4 }, allow);
      expect(second).toMatchObject({ version: 4, created: true });
      expect(second.id).toBeGreaterThan(9);
    });

    test("a replay of the same schema, id and version changes nothing, also after a soft delete", async () => {
      const store = await fresh();
      await store.register({ ...input("orders", 1), id: 10, version: 1 }, allow);
      const guardNeverCalled = () => {
        throw new Error("guard called on a replay");
      };
      expect(await store.register({ ...input("orders", 1), id: 10, version: 1 }, guardNeverCalled)).toEqual({
        id: 10,
        version: 1,
        created: false,
      });
      await store.softDeleteVersion("orders", 1);
      expect(await store.register({ ...input("orders", 1), id: 10, version: 1 }, guardNeverCalled)).toEqual({
        id: 10,
        version: 1,
        created: false,
      });
      expect((await store.getVersion("orders", 1))?.deleted).toBe(true);
    });

    test("the same schema under another subject with its id shares the schema row", async () => {
      const store = await fresh();
      await store.register({ ...input("orders", 1), id: 10, version: 1 }, allow);
      expect(await store.register({ ...input("invoices", 1), id: 10, version: 2 }, allow)).toEqual({
        id: 10,
        version: 2,
        created: true,
      });
      expect(await store.listVersionsBySchemaId(10)).toEqual([
        { subject: "invoices", version: 2 },
        { subject: "orders", version: 1 },
      ]);
    });

    test("refuses an id held by another schema, a schema held under another id, and a taken version", async () => {
      const store = await fresh();
      await store.register({ ...input("orders", 1), id: 10, version: 1 }, allow);
      expect(await codeOf(store.register({ ...input("orders", 2), id: 10, version: 2 }, allow))).toBe(
        "SR_IMPORT_ID_CONFLICT",
      );
      expect(await codeOf(store.register({ ...input("invoices", 1), id: 11, version: 1 }, allow))).toBe(
        "SR_IMPORT_SCHEMA_HAS_ID",
      );
      expect(await codeOf(store.register({ ...input("orders", 2), id: 12, version: 1 }, allow))).toBe(
        "SR_IMPORT_VERSION_CONFLICT",
      );
      expect((await store.listVersions("orders", { includeDeleted: true })).map((v) => v.version)).toEqual([
        1,
      ]);
      expect(await store.getSchemaById(12)).toBeUndefined();
    });

    test("an imported id is not drawn again even when it is far above the current sequence", async () => {
      const store = await fresh();
      const first = await store.register(input("orders", 1), allow);
      await store.register({ ...input("orders", 2), id: first.id + 1, version: 2 }, allow);
      const third = await store.register(input("orders", 3), allow);
      expect(third.id).toBe(first.id + 2);
    });
  });
}
