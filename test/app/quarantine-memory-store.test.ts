import { beforeEach, describe, expect, test } from "vitest";
import { createMemoryQuarantineStore } from "../../src/adapters/storage/memory-quarantine-store.js";
import type { QuarantineStore } from "../../src/app/ports.js";
import type { NewQuarantineEntry } from "../../src/app/validation-types.js";

const DAY = 86_400_000;
const T0 = Date.parse("2025-06-01T00:00:00.000Z");
const KEEP_ALL = { maxPerSubject: 1000, maxAgeMs: 365 * DAY };

function entry(subject = "tickets", overrides: Partial<NewQuarantineEntry> = {}): NewQuarantineEntry {
  return {
    subject,
    version: 1,
    reason: "invalid",
    issues: [{ code: "no_json", path: "", message: "the output holds no JSON object" }],
    repairs: [],
    raw: "nope",
    rawBytes: 4,
    rawSha256: "0".repeat(64),
    truncated: false,
    key: null,
    ...overrides,
  };
}

let store: QuarantineStore;
beforeEach(() => {
  store = createMemoryQuarantineStore();
});

describe("memory quarantine store", () => {
  test("stores a sample as open with an id and createdAt", async () => {
    const record = await store.add(entry(), KEEP_ALL, new Date(T0));
    expect(record).toMatchObject({
      id: 1,
      status: "open",
      createdAt: new Date(T0).toISOString(),
      resolvedAt: null,
      resolvedVersion: null,
    });
    expect(await store.get(1)).toEqual(record);
    expect(await store.get(2)).toBeUndefined();
  });

  test("keeps at most maxPerSubject samples per subject, dropping the oldest", async () => {
    const retention = { maxPerSubject: 2, maxAgeMs: DAY };
    for (let i = 0; i < 3; i++) await store.add(entry(), retention, new Date(T0 + i));
    await store.add(entry("other"), retention, new Date(T0 + 5));
    const { items } = await store.list({ subject: "tickets", limit: 10 });
    expect(items.map((r) => r.id)).toEqual([3, 2]);
    expect(await store.counts()).toEqual([
      { subject: "other", open: 1, resolved: 0 },
      { subject: "tickets", open: 2, resolved: 0 },
    ]);
  });

  test("drops samples older than maxAgeMs on add and on prune", async () => {
    const retention = { maxPerSubject: 100, maxAgeMs: DAY };
    await store.add(entry(), retention, new Date(T0));
    await store.add(entry("other"), retention, new Date(T0));
    await store.add(entry(), retention, new Date(T0 + 2 * DAY));
    expect((await store.list({ subject: "tickets", limit: 10 })).items.map((r) => r.id)).toEqual([3]);
    expect(await store.prune(retention, new Date(T0 + 2 * DAY))).toBe(1);
    expect(await store.get(2)).toBeUndefined();
  });

  test("lists newest first in pages linked by nextCursor", async () => {
    for (let i = 0; i < 5; i++) await store.add(entry(), KEEP_ALL, new Date(T0 + i));
    const first = await store.list({ subject: "tickets", limit: 2 });
    expect(first).toEqual({
      items: [expect.objectContaining({ id: 5 }), expect.objectContaining({ id: 4 })],
      nextCursor: 4,
    });
    const second = await store.list({ subject: "tickets", limit: 2, cursor: 4 });
    expect(second.items.map((r) => r.id)).toEqual([3, 2]);
    const last = await store.list({ subject: "tickets", limit: 2, cursor: 2 });
    expect(last).toEqual({ items: [expect.objectContaining({ id: 1 })] });
  });

  test("an exactly full last page has no nextCursor", async () => {
    for (let i = 0; i < 2; i++) await store.add(entry(), KEEP_ALL, new Date(T0 + i));
    expect(await store.list({ limit: 2 })).not.toHaveProperty("nextCursor");
  });

  test.each([
    [{ status: "resolved" as const }, [2]],
    [{ reason: "refusal" as const }, [3]],
    [{ version: 2 }, [3]],
    [{ since: new Date(T0 + 1).toISOString() }, [3, 2]],
    [{ until: new Date(T0 + 1).toISOString() }, [1]],
  ])("filters by %j", async (filter, ids) => {
    await store.add(entry(), KEEP_ALL, new Date(T0));
    await store.add(entry(), KEEP_ALL, new Date(T0 + 1));
    await store.add(entry("tickets", { reason: "refusal", version: 2 }), KEEP_ALL, new Date(T0 + 2));
    await store.markResolved([2], 3, new Date(T0 + 10));
    const { items } = await store.list({ subject: "tickets", limit: 10, ...filter });
    expect(items.map((r) => r.id)).toEqual(ids);
  });

  test("marks open samples resolved once and counts only changes", async () => {
    await store.add(entry(), KEEP_ALL, new Date(T0));
    await store.add(entry(), KEEP_ALL, new Date(T0));
    expect(await store.markResolved([1, 1, 99], 2, new Date(T0 + 5))).toBe(1);
    expect(await store.markResolved([1, 2], 3, new Date(T0 + 6))).toBe(1);
    expect(await store.get(1)).toMatchObject({
      status: "resolved",
      resolvedVersion: 2,
      resolvedAt: new Date(T0 + 5).toISOString(),
    });
    expect(await store.counts()).toEqual([{ subject: "tickets", open: 0, resolved: 2 }]);
  });

  test("hands out copies: changing a returned record changes nothing stored", async () => {
    const record = await store.add(entry(), KEEP_ALL, new Date(T0));
    record.issues.push({ code: "no_json", path: "", message: "x" });
    record.status = "resolved";
    expect(await store.get(1)).toMatchObject({ status: "open", issues: [expect.anything()] });
  });
});
