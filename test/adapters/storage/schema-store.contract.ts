import { afterAll, describe, expect, test, vi } from "vitest";
import type { SchemaStore, VersionRecord } from "../../../src/app/ports.js";
import { StructregError } from "../../../src/core/errors.js";
import { allow, type FreshStore, input } from "./schema-store-fixtures.js";
import { describeLifecycleContract } from "./schema-store-lifecycle.contract.js";
import { describeModesContract } from "./schema-store-modes.contract.js";
import { describeReferencesContract } from "./schema-store-references.contract.js";

/** Gives each test an empty store; `dispose` runs once after the suite. */
export interface StoreHarness {
  fresh(): Promise<SchemaStore>;
  dispose(): Promise<void>;
}

/** Runs the SchemaStore contract (the behaviour src/app/ports.ts documents) against one implementation. */
export function describeSchemaStoreContract(
  name: string,
  factory: () => Promise<StoreHarness>,
  options: { skip?: boolean } = {},
): void {
  (options.skip === true ? describe.skip : describe)(`SchemaStore contract: ${name}`, () => {
    let harness: StoreHarness | undefined;
    const fresh: FreshStore = async () => {
      harness ??= await factory();
      return harness.fresh();
    };
    afterAll(async () => harness?.dispose());

    describeRegistration(fresh);
    describeConcurrency(fresh);
    describeLifecycleContract(fresh);
    describeReferencesContract(fresh);
    describeModesContract(fresh);
  });
}

function describeRegistration(fresh: FreshStore): void {
  test("stores the first version as version 1 with a global id, ENABLED and not deleted", async () => {
    const store = await fresh();
    const result = await store.register(input("orders", 1), allow);
    expect(result).toEqual({ id: expect.any(Number), version: 1, created: true });
    const record = await store.getVersion("orders", 1);
    expect(record).toEqual({
      subject: "orders",
      version: 1,
      id: result.id,
      fingerprint: "fp-1",
      schema: input("orders", 1).schema,
      state: "ENABLED",
      deleted: false,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      references: [],
    });
    expect(await store.getSchemaById(result.id)).toEqual({
      id: result.id,
      fingerprint: "fp-1",
      schema: record?.schema,
      references: [],
    });
    expect(await store.listSubjects()).toEqual(["orders"]);
  });

  test("returns the existing version for an already-registered schema without calling the guard", async () => {
    const store = await fresh();
    const first = await store.register(input("orders", 1), allow);
    await store.register(input("orders", 2), allow);
    const guard = vi.fn();
    const again = await store.register(input("orders", 1), guard);
    expect(again).toEqual({ id: first.id, version: 1, created: false });
    expect(guard).not.toHaveBeenCalled();
    expect(await store.listVersions("orders")).toHaveLength(2);
  });

  test("calls the guard with the undeleted versions of every state, oldest first", async () => {
    const store = await fresh();
    for (const n of [1, 2, 3]) await store.register(input("orders", n), allow);
    await store.setVersionState("orders", 2, "DISABLED");
    await store.softDeleteVersion("orders", 3);
    const seen: VersionRecord[][] = [];
    await store.register(input("orders", 4), (undeleted) => {
      seen.push(undeleted);
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.map((v) => [v.version, v.state])).toEqual([
      [1, "ENABLED"],
      [2, "DISABLED"],
    ]);
  });

  test("writes nothing when the guard refuses", async () => {
    const store = await fresh();
    const refusal = new StructregError("SR_INCOMPATIBLE_SCHEMA", "refused by the guard");
    await expect(
      store.register(input("orders", 1), () => {
        throw refusal;
      }),
    ).rejects.toBe(refusal);
    await expect(
      store.register(input("orders", 1), async () => {
        throw refusal;
      }),
    ).rejects.toBe(refusal);
    expect(await store.listSubjects({ includeDeleted: true })).toEqual([]);
    expect(await store.listVersions("orders", { includeDeleted: true })).toEqual([]);
    const later = await store.register(input("orders", 1), allow);
    expect(later.version).toBe(1);
    expect(await store.listVersionsBySchemaId(later.id)).toEqual([{ subject: "orders", version: 1 }]);
  });

  test("shares one id per distinct schema across subjects", async () => {
    const store = await fresh();
    const a = await store.register(input("alpha", 1), allow);
    const b = await store.register(input("beta", 1), allow);
    const other = await store.register(input("beta", 2), allow);
    expect(b).toEqual({ id: a.id, version: 1, created: true });
    expect(other.id).not.toBe(a.id);
    expect(await store.listVersionsBySchemaId(a.id)).toEqual([
      { subject: "alpha", version: 1 },
      { subject: "beta", version: 1 },
    ]);
    expect(await store.getSchemaById(other.id + 1000)).toBeUndefined();
  });

  test("numbers a new version after the highest ever used, counting soft-deleted and hard-deleted ones", async () => {
    const store = await fresh();
    for (const n of [1, 2, 3]) await store.register(input("orders", n), allow);
    await store.softDeleteVersion("orders", 3);
    expect((await store.register(input("orders", 4), allow)).version).toBe(4);
    await store.softDeleteVersion("orders", 4);
    await store.hardDeleteVersion("orders", 4);
    // Re-registering a soft-deleted schema creates a new version (only undeleted ones count as "already there").
    expect(await store.register(input("orders", 3), allow)).toMatchObject({ version: 5, created: true });
  });

  test("keeps a schema's id after its versions are deleted, so registering it again reuses the id", async () => {
    const store = await fresh();
    const first = await store.register(input("orders", 1), allow);
    await store.softDeleteSubject("orders");
    await store.hardDeleteSubject("orders");
    expect(await store.getSchemaById(first.id)).toMatchObject({ fingerprint: "fp-1" });
    expect(await store.register(input("orders", 1), allow)).toEqual({
      id: first.id,
      version: 1,
      created: true,
    });
  });

  test("returns copies: changing a returned record does not change the store", async () => {
    const store = await fresh();
    await store.register(input("orders", 1), allow);
    const [record] = await store.listVersions("orders");
    if (record !== undefined) record.deleted = true;
    await store.register(input("orders", 2), (undeleted) => {
      for (const v of undeleted) v.state = "DISABLED";
    });
    expect(await store.getVersion("orders", 1)).toMatchObject({ deleted: false, state: "ENABLED" });
  });

  test("answers ping", async () => {
    const store = await fresh();
    await expect(store.ping()).resolves.toBeUndefined();
  });
}

function describeConcurrency(fresh: FreshStore): void {
  test("gives 30 concurrent registrations of distinct schemas the contiguous versions 1..30", async () => {
    const store = await fresh();
    const n = Array.from({ length: 30 }, (_, i) => i + 1);
    const results = await Promise.all(n.map((i) => store.register(input("orders", i), allow)));
    expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual(n);
    expect(new Set(results.map((r) => r.id)).size).toBe(30);
    const stored = await store.listVersions("orders");
    expect(stored.map((v) => v.version)).toEqual(n);
    expect(new Set(stored.map((v) => v.fingerprint)).size).toBe(30);
  });

  test("creates one version for 10 concurrent registrations of the same schema", async () => {
    const store = await fresh();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => store.register(input("orders", 7), allow)),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => `${r.id}/${r.version}`))).toEqual(new Set([`${results[0]?.id}/1`]));
  });

  test("sees each earlier concurrent registration in the guard (no lost writes)", async () => {
    const store = await fresh();
    const seenCounts: number[] = [];
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        store.register(input("orders", i + 1), async (undeleted) => {
          seenCounts.push(undeleted.length);
        }),
      ),
    );
    expect(seenCounts.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  test("registers one schema under 10 subjects at once with one shared id", async () => {
    const store = await fresh();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.register({ ...input("x", 1), subject: `s${i}` }, allow)),
    );
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results.every((r) => r.version === 1 && r.created)).toBe(true);
  });
}
