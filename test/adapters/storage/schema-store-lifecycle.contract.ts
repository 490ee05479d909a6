import { describe, expect, test } from "vitest";
import type { SchemaStore } from "../../../src/app/ports.js";
import type { ErrorCode } from "../../../src/core/errors.js";
import { allow, type FreshStore, input } from "./schema-store-fixtures.js";

/** A store with subject `orders` (versions 1, 2, 3; 3 soft-deleted) and subject `gone` (1 soft-deleted). */
async function seeded(fresh: FreshStore): Promise<SchemaStore> {
  const store = await fresh();
  for (const n of [1, 2, 3]) await store.register(input("orders", n), allow);
  await store.softDeleteVersion("orders", 3);
  await store.register(input("gone", 1), allow);
  await store.softDeleteSubject("gone");
  return store;
}

const REFUSED_DELETES: Array<[string, (s: SchemaStore) => Promise<unknown>, ErrorCode]> = [
  [
    "soft delete of a version of an unknown subject",
    (s) => s.softDeleteVersion("nope", 1),
    "SR_SUBJECT_NOT_FOUND",
  ],
  [
    "soft delete of a version of a soft-deleted subject",
    (s) => s.softDeleteVersion("gone", 1),
    "SR_SUBJECT_NOT_FOUND",
  ],
  ["soft delete of a missing version", (s) => s.softDeleteVersion("orders", 9), "SR_VERSION_NOT_FOUND"],
  [
    "soft delete of a soft-deleted version",
    (s) => s.softDeleteVersion("orders", 3),
    "SR_VERSION_SOFT_DELETED",
  ],
  [
    "permanent delete of a version of an unknown subject",
    (s) => s.hardDeleteVersion("nope", 1),
    "SR_SUBJECT_NOT_FOUND",
  ],
  ["permanent delete of a missing version", (s) => s.hardDeleteVersion("orders", 9), "SR_VERSION_NOT_FOUND"],
  [
    "permanent delete of a live version",
    (s) => s.hardDeleteVersion("orders", 2),
    "SR_VERSION_NOT_SOFT_DELETED",
  ],
  ["soft delete of an unknown subject", (s) => s.softDeleteSubject("nope"), "SR_SUBJECT_NOT_FOUND"],
  ["soft delete of a soft-deleted subject", (s) => s.softDeleteSubject("gone"), "SR_SUBJECT_SOFT_DELETED"],
  ["permanent delete of an unknown subject", (s) => s.hardDeleteSubject("nope"), "SR_SUBJECT_NOT_FOUND"],
  ["permanent delete of a live subject", (s) => s.hardDeleteSubject("orders"), "SR_SUBJECT_NOT_SOFT_DELETED"],
  [
    "state change in an unknown subject",
    (s) => s.setVersionState("nope", 1, "DISABLED"),
    "SR_SUBJECT_NOT_FOUND",
  ],
  [
    "state change of a missing version",
    (s) => s.setVersionState("orders", 9, "DISABLED"),
    "SR_VERSION_NOT_FOUND",
  ],
  [
    "state change of a soft-deleted version",
    (s) => s.setVersionState("orders", 3, "DISABLED"),
    "SR_VERSION_SOFT_DELETED",
  ],
];

/** Deletes, version states and config: the lifecycle half of the SchemaStore contract. */
export function describeLifecycleContract(fresh: FreshStore): void {
  describe("deletes", () => {
    test.each(REFUSED_DELETES)("refuses a %s", async (_name, act, code) => {
      const store = await seeded(fresh);
      await expect(act(store)).rejects.toMatchObject({ name: "StructregError", code });
      // A refused delete changes nothing.
      expect(
        (await store.listVersions("orders", { includeDeleted: true })).map((v) => [v.version, v.deleted]),
      ).toEqual([
        [1, false],
        [2, false],
        [3, true],
      ]);
    });

    test("hides a soft-deleted version from lists unless asked, but still returns it by number", async () => {
      const store = await seeded(fresh);
      expect((await store.listVersions("orders")).map((v) => v.version)).toEqual([1, 2]);
      expect((await store.listVersions("orders", { includeDeleted: true })).map((v) => v.version)).toEqual([
        1, 2, 3,
      ]);
      expect(await store.getVersion("orders", 3)).toMatchObject({ version: 3, deleted: true });
      const id3 = (await store.getVersion("orders", 3))?.id ?? -1;
      expect(await store.listVersionsBySchemaId(id3)).toEqual([]);
      expect(await store.listVersionsBySchemaId(id3, { includeDeleted: true })).toEqual([
        { subject: "orders", version: 3 },
      ]);
    });

    test("permanently deletes a soft-deleted version", async () => {
      const store = await seeded(fresh);
      await store.hardDeleteVersion("orders", 3);
      expect(await store.getVersion("orders", 3)).toBeUndefined();
      expect((await store.listVersions("orders", { includeDeleted: true })).map((v) => v.version)).toEqual([
        1, 2,
      ]);
    });

    test("soft-deletes a subject: answers its live versions and lists it only when asked", async () => {
      const store = await seeded(fresh);
      expect(await store.softDeleteSubject("orders")).toEqual([1, 2]);
      expect(await store.listSubjects()).toEqual([]);
      expect(await store.listSubjects({ includeDeleted: true })).toEqual(["gone", "orders"]);
      expect(await store.listVersions("orders")).toEqual([]);
    });

    test("permanently deletes a soft-deleted subject with its config, then starts again at version 1", async () => {
      const store = await seeded(fresh);
      await store.setConfig("orders", { compatibility: "FULL" });
      await store.softDeleteSubject("orders");
      expect(await store.hardDeleteSubject("orders")).toEqual([1, 2, 3]);
      expect(await store.listSubjects({ includeDeleted: true })).toEqual(["gone"]);
      expect(await store.listVersions("orders", { includeDeleted: true })).toEqual([]);
      expect(await store.getConfig("orders")).toBeUndefined();
      expect((await store.register(input("orders", 5), allow)).version).toBe(1);
    });
  });

  describe("version states", () => {
    test.each(["DEPRECATED", "DISABLED", "ENABLED"] as const)(
      "changes a version's state to %s",
      async (state) => {
        const store = await seeded(fresh);
        await store.setVersionState("orders", 1, "DISABLED");
        await store.setVersionState("orders", 1, state);
        expect(await store.getVersion("orders", 1)).toMatchObject({ state });
        expect(await store.getVersion("orders", 2)).toMatchObject({ state: "ENABLED" });
      },
    );
  });

  describe("config", () => {
    test("has no config until one is set, for the global scope and for a subject", async () => {
      const store = await fresh();
      expect(await store.getConfig(null)).toBeUndefined();
      expect(await store.getConfig("orders")).toBeUndefined();
      expect(await store.deleteConfig("orders")).toBeUndefined();
    });

    test("merges a patch into the stored config and keeps global and subject configs apart", async () => {
      const store = await fresh();
      expect(await store.setConfig(null, { compatibility: "FULL" })).toEqual({ compatibility: "FULL" });
      expect(await store.setConfig("orders", { profile: "json-schema" })).toEqual({ profile: "json-schema" });
      expect(await store.setConfig("orders", { compatibility: "NONE", policy: "LENIENT" })).toEqual({
        compatibility: "NONE",
        policy: "LENIENT",
        profile: "json-schema",
      });
      expect(await store.setConfig("orders", {})).toEqual({
        compatibility: "NONE",
        policy: "LENIENT",
        profile: "json-schema",
      });
      expect(await store.getConfig(null)).toEqual({ compatibility: "FULL" });
      expect(await store.getConfig("other")).toBeUndefined();
    });

    test("deletes a config and answers what was there", async () => {
      const store = await fresh();
      await store.setConfig(null, { policy: "LENIENT" });
      await store.setConfig("orders", { compatibility: "FORWARD" });
      expect(await store.deleteConfig("orders")).toEqual({ compatibility: "FORWARD" });
      expect(await store.getConfig("orders")).toBeUndefined();
      expect(await store.deleteConfig(null)).toEqual({ policy: "LENIENT" });
      expect(await store.getConfig(null)).toBeUndefined();
    });

    test("applies concurrent patches of one config without losing one", async () => {
      const store = await fresh();
      await Promise.all([
        store.setConfig("orders", { compatibility: "FULL" }),
        store.setConfig("orders", { policy: "LENIENT" }),
        store.setConfig("orders", { profile: "json-schema" }),
      ]);
      expect(await store.getConfig("orders")).toEqual({
        compatibility: "FULL",
        policy: "LENIENT",
        profile: "json-schema",
      });
    });
  });
}
