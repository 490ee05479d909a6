import { expect, test } from "vitest";
import type { QuarantineStore } from "../../../src/app/ports.js";
import { addMany, at, type FreshQuarantine, KEEP_ALL, sample } from "./quarantine-store-fixtures.js";

const MINUTE = 60_000;

async function idsOf(store: QuarantineStore, subject: string): Promise<number[]> {
  return (await store.list({ subject, limit: 1000 })).items.map((r) => r.id);
}

/** Retention, resolution, counts and concurrency: part of the QuarantineStore contract. */
export function describeQuarantineRetentionContract(fresh: FreshQuarantine): void {
  describeRetention(fresh);
  describeResolution(fresh);
  describeConcurrency(fresh);
}

function describeRetention(fresh: FreshQuarantine): void {
  test("keeps only the newest maxPerSubject samples of the subject it adds to", async () => {
    const store = await fresh();
    const users = await addMany(store, "users", 4);
    const retention = { maxPerSubject: 3, maxAgeMs: KEEP_ALL.maxAgeMs };
    const orders: number[] = [];
    for (let i = 0; i < 5; i++) orders.push((await store.add(sample("orders", i), retention, at(10 + i))).id);
    expect(await idsOf(store, "orders")).toEqual(orders.slice(2).reverse());
    // Another subject's samples are not touched by this subject's adds.
    expect(await idsOf(store, "users")).toEqual([...users].reverse());
  });

  test("drops the subject's samples older than maxAgeMs when adding, keeping one exactly maxAgeMs old", async () => {
    const store = await fresh();
    const ids = await addMany(store, "orders", 4); // minutes 0, 1, 2, 3
    const other = await addMany(store, "users", 1);
    const retention = { maxPerSubject: 100, maxAgeMs: 9 * MINUTE };
    const added = await store.add(sample("orders", 9), retention, at(11)); // cutoff: minute 2
    expect(await idsOf(store, "orders")).toEqual([added.id, ids[3], ids[2]]);
    expect(await idsOf(store, "users")).toEqual(other);
  });

  test("keeps the sample just added even when the limits are tight", async () => {
    const store = await fresh();
    await addMany(store, "orders", 3);
    const added = await store.add(sample("orders", 9), { maxPerSubject: 1, maxAgeMs: 0 }, at(60));
    expect(await idsOf(store, "orders")).toEqual([added.id]);
    expect(await store.get(added.id)).toEqual(added);
  });

  test("prunes every subject by count and by age and says how many it dropped", async () => {
    const store = await fresh();
    const orders = await addMany(store, "orders", 6); // minutes 0..5
    const users = await addMany(store, "users", 3, 20); // minutes 20..22
    const events = await addMany(store, "events", 2, 2); // minutes 2..3
    // Cutoff at minute 3: older samples go first, then all but the two newest of each subject.
    const dropped = await store.prune({ maxPerSubject: 2, maxAgeMs: 20 * MINUTE }, at(23));
    expect(await idsOf(store, "orders")).toEqual([orders[5], orders[4]]);
    expect(await idsOf(store, "users")).toEqual([users[2], users[1]]);
    expect(await idsOf(store, "events")).toEqual([events[1]]);
    expect(dropped).toBe(4 + 1 + 1);
    expect(await store.prune({ maxPerSubject: 2, maxAgeMs: 20 * MINUTE }, at(23))).toBe(0);
  });

  test("prunes nothing from an empty quarantine", async () => {
    const store = await fresh();
    expect(await store.prune({ maxPerSubject: 1, maxAgeMs: 0 }, at(0))).toBe(0);
  });
}

function describeResolution(fresh: FreshQuarantine): void {
  test("marks open samples resolved by a version, once", async () => {
    const store = await fresh();
    const [a, b, c] = await addMany(store, "orders", 3);
    expect(await store.markResolved([a!, b!, b!, 999_999], 2, at(30))).toBe(2);
    expect(await store.get(a!)).toMatchObject({
      status: "resolved",
      resolvedAt: at(30).toISOString(),
      resolvedVersion: 2,
    });
    expect(await store.get(c!)).toMatchObject({ status: "open", resolvedAt: null, resolvedVersion: null });
    // Already-resolved samples keep their first resolution.
    expect(await store.markResolved([a!, c!], 3, at(40))).toBe(1);
    expect(await store.get(a!)).toMatchObject({ resolvedAt: at(30).toISOString(), resolvedVersion: 2 });
    expect(await store.get(c!)).toMatchObject({ resolvedAt: at(40).toISOString(), resolvedVersion: 3 });
    expect(await store.markResolved([a!, b!, c!], 4, at(50))).toBe(0);
    expect(await store.markResolved([], 4, at(50))).toBe(0);
  });

  test("counts open and resolved samples per subject, by subject name", async () => {
    const store = await fresh();
    expect(await store.counts()).toEqual([]);
    const users = await addMany(store, "users", 3);
    await addMany(store, "orders", 2);
    const zeta = await addMany(store, "Zeta", 1);
    await store.markResolved([users[0]!, users[1]!, zeta[0]!], 2, at(10));
    expect(await store.counts()).toEqual([
      { subject: "Zeta", open: 0, resolved: 1 },
      { subject: "orders", open: 2, resolved: 0 },
      { subject: "users", open: 1, resolved: 2 },
    ]);
  });
}

function describeConcurrency(fresh: FreshQuarantine): void {
  test("keeps exactly maxPerSubject samples when many adds to one subject run at once", async () => {
    const store = await fresh();
    const retention = { maxPerSubject: 3, maxAgeMs: KEEP_ALL.maxAgeMs };
    const added = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.add(sample("orders", i), retention, at(0))),
    );
    expect(new Set(added.map((r) => r.id)).size).toBe(20);
    const newest = added
      .map((r) => r.id)
      .sort((x, y) => y - x)
      .slice(0, 3);
    expect(await idsOf(store, "orders")).toEqual(newest);
    expect(await store.counts()).toEqual([{ subject: "orders", open: 3, resolved: 0 }]);
  });

  test("keeps each subject's limit when adds to several subjects interleave", async () => {
    const store = await fresh();
    const retention = { maxPerSubject: 2, maxAgeMs: KEEP_ALL.maxAgeMs };
    const subjects = ["a", "b", "c"];
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => store.add(sample(subjects[i % 3]!, i), retention, at(i))),
    );
    expect(await store.counts()).toEqual(subjects.map((subject) => ({ subject, open: 2, resolved: 0 })));
  });
}
