import { expect, test } from "vitest";
import type { RegisterInput } from "../../../src/app/ports.js";
import { allow, type FreshStore, input } from "./schema-store-fixtures.js";

/** The n-th schema of `subject`, referencing `targets` (fingerprints are labels here). */
function referring(subject: string, n: number, targets: Array<[string, number]>): RegisterInput {
  return {
    ...input(subject, n),
    fingerprint: `fp-ref-${n}`,
    references: targets.map(([s, v], i) => ({ name: `r${i}.json`, subject: s, version: v })),
  };
}

/** What every store does with schema references (run by describeSchemaStoreContract). */
export function describeReferencesContract(fresh: FreshStore): void {
  test("keeps references with the schema, in the author's order, and answers referencedby", async () => {
    const store = await fresh();
    await store.register(input("money", 1), allow);
    await store.register(input("address", 2), allow);
    const ref = referring("invoice", 3, [
      ["money", 1],
      ["address", 1],
    ]);
    const { id } = await store.register(ref, allow);
    expect((await store.getVersion("invoice", 1))?.references).toEqual(ref.references);
    expect((await store.listVersions("invoice"))[0]?.references).toEqual(ref.references);
    expect((await store.getSchemaById(id))?.references).toEqual(ref.references);
    expect(await store.listReferencedBy("money", 1)).toEqual([id]);
    expect(await store.listReferencedBy("address", 1)).toEqual([id]);
    expect(await store.listReferencedBy("invoice", 1)).toEqual([]);
  });

  test("refuses a registration whose referenced version is missing or soft deleted", async () => {
    const store = await fresh();
    await store.register(input("money", 1), allow);
    await store.register(input("money", 2), allow);
    await store.softDeleteVersion("money", 2);
    for (const version of [2, 3]) {
      await expect(
        store.register(referring("invoice", 3, [["money", version]]), allow),
      ).rejects.toMatchObject({
        code: "SR_REFERENCE_NOT_FOUND",
      });
    }
    expect(await store.listVersions("invoice", { includeDeleted: true })).toEqual([]);
  });

  test("refuses deleting a referenced version or subject until the referrers go", async () => {
    const store = await fresh();
    await store.register(input("money", 1), allow);
    await store.register(referring("invoice", 2, [["money", 1]]), allow);
    await expect(store.softDeleteVersion("money", 1)).rejects.toMatchObject({ code: "SR_REFERENCE_EXISTS" });
    await expect(store.softDeleteSubject("money")).rejects.toMatchObject({ code: "SR_REFERENCE_EXISTS" });
    await store.softDeleteVersion("invoice", 1);
    expect(await store.listReferencedBy("money", 1)).toEqual([]);
    await store.softDeleteVersion("money", 1);
    // Permanently: refused while a soft-deleted version still references it.
    await expect(store.hardDeleteVersion("money", 1)).rejects.toMatchObject({ code: "SR_REFERENCE_EXISTS" });
    await expect(store.hardDeleteSubject("money")).rejects.toMatchObject({ code: "SR_REFERENCE_EXISTS" });
    await store.hardDeleteVersion("invoice", 1);
    await store.hardDeleteSubject("money");
    expect(await store.listVersions("money", { includeDeleted: true })).toEqual([]);
  });

  test("a subject whose versions reference each other is deleted as a whole", async () => {
    const store = await fresh();
    await store.register(input("money", 1), allow);
    await store.register(referring("money", 2, [["money", 1]]), allow);
    await expect(store.softDeleteVersion("money", 1)).rejects.toMatchObject({ code: "SR_REFERENCE_EXISTS" });
    expect(await store.softDeleteSubject("money")).toEqual([1, 2]);
    expect(await store.hardDeleteSubject("money")).toEqual([1, 2]);
  });
}
