import { afterAll, describe, expect, test } from "vitest";
import type { QuarantineStore } from "../../../src/app/ports.js";
import type { QuarantineQuery, QuarantineRecord } from "../../../src/app/validation-types.js";
import type { Issue } from "../../../src/core/parse/issues.js";
import type { Repair } from "../../../src/core/parse/repairs.js";
import { addMany, at, type FreshQuarantine, KEEP_ALL, sample, T0 } from "./quarantine-store-fixtures.js";
import { describeQuarantineRetentionContract } from "./quarantine-store-retention.contract.js";

/** Gives each test an empty quarantine store; `dispose` runs once after the suite. */
export interface QuarantineHarness {
  fresh(): Promise<QuarantineStore>;
  dispose(): Promise<void>;
}

/** Runs the QuarantineStore contract (the behaviour src/app/ports.ts documents) against one implementation. */
export function describeQuarantineStoreContract(
  name: string,
  factory: () => Promise<QuarantineHarness>,
  options: { skip?: boolean } = {},
): void {
  (options.skip === true ? describe.skip : describe)(`QuarantineStore contract: ${name}`, () => {
    let harness: QuarantineHarness | undefined;
    const fresh: FreshQuarantine = async () => {
      harness ??= await factory();
      return harness.fresh();
    };
    afterAll(async () => harness?.dispose());

    describeRoundTrip(fresh);
    describeListing(fresh);
    describePaging(fresh);
    describeQuarantineRetentionContract(fresh);
  });
}

function describeRoundTrip(fresh: FreshQuarantine): void {
  test("stores a sample as open with the given time and gives it back by id", async () => {
    const store = await fresh();
    const entry = sample("orders", 1, { truncated: true, rawBytes: 70_000 });
    const added = await store.add(entry, KEEP_ALL, T0);
    expect(added).toEqual({
      ...entry,
      id: expect.any(Number),
      status: "open",
      createdAt: "2026-03-01T12:00:00.000Z",
      resolvedAt: null,
      resolvedVersion: null,
    });
    expect(await store.get(added.id)).toEqual(added);
    expect(await store.get(added.id + 1)).toBeUndefined();
  });

  test("gives every sample its own increasing id", async () => {
    const store = await fresh();
    const ids = await addMany(store, "orders", 3);
    const [second] = await addMany(store, "users", 1);
    expect(new Set([...ids, second]).size).toBe(4);
    expect([...ids, second]).toEqual([...ids, second].sort((a, b) => (a ?? 0) - (b ?? 0)));
  });

  test("keeps a null key and an empty raw text", async () => {
    const store = await fresh();
    const added = await store.add(sample("orders", 1, { key: null, raw: "", rawBytes: 0 }), KEEP_ALL, T0);
    expect(await store.get(added.id)).toMatchObject({ key: null, raw: "", rawBytes: 0 });
  });

  test("round-trips issues and repairs whose values are of every JSON type", async () => {
    const store = await fresh();
    const hostile = JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}');
    const repairs: Repair[] = [
      { kind: "enum_case", path: "/status", from: "Shipped ", to: "shipped" },
      { kind: "number_from_string", path: "/n", from: "1e300", to: 1e300 },
      { kind: "boolean_from_string", path: "/ok", from: "TRUE", to: true },
      { kind: "null_for_missing", path: "/note", to: null },
      { kind: "wrapped_in_array", path: "/tags", from: { a: [1, -2.5, { b: "ü😀" }] }, to: [{ a: [1] }] },
      { kind: "dropped_unknown_key", path: "/~1a~0b", from: hostile },
      { kind: "string_from_number", path: "/id", from: -0.000123, to: "-0.000123" },
      { kind: "trailing_comma", path: "" },
    ];
    const issues: Issue[] = [
      { code: "invalid_enum", path: "/status", allowed: ["a", 1, null, false, { x: [] }], message: "m" },
      {
        code: "schema_mismatch",
        path: "/x",
        keyword: "oneOf",
        params: { passingSchemas: [0, 1] },
        message: "",
      },
      { code: "response_failed", path: "", error: { code: "server_error", nested: [[[]]] }, message: "e" },
    ];
    const added = await store.add(sample("orders", 1, { issues, repairs }), KEEP_ALL, T0);
    const got = await store.get(added.id);
    expect(got?.repairs).toEqual(repairs);
    expect(got?.issues).toEqual(issues);
    expect(Object.hasOwn(got?.repairs[5]?.from as object, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test.each([
    ["a NUL character", 'before\u0000after {"a":1}'],
    ["only NULs", "\u0000\u0000"],
    ["a lone high surrogate", '{"a":"\ud800"}'],
    ["a lone low surrogate", "x\udc00y"],
    ["a reversed surrogate pair", "\udc00\ud800"],
    ["a surrogate at the very end", "text\ud83d"],
    ["a valid astral character beside a NUL", "😀\u0000😀"],
    ["a JSON string literal of itself", '"\\u0000"'],
    ["backslashes and quotes", 'say "\\u0000" \\\\ \\'],
  ])("keeps raw text with %s exactly, and never fails to add it", async (_label, raw) => {
    const store = await fresh();
    const entry = sample("orders", 1, { raw, rawSha256: "sha-of-the-original" });
    const added = await store.add(entry, KEEP_ALL, T0);
    expect(added.raw).toBe(raw);
    const got = await store.get(added.id);
    expect(got?.raw).toBe(raw);
    expect(got?.rawSha256).toBe("sha-of-the-original");
  });

  test("keeps NULs and lone surrogates in keys, issue messages and repair values exactly", async () => {
    const store = await fresh();
    const odd = "a\u0000b\ud800c\udfff";
    const entry = sample("orders", 1, {
      key: odd,
      issues: [{ code: "invalid_type", path: `/${odd}`, expected: ["string"], message: odd }],
      repairs: [{ kind: "control_char", path: "/t", from: odd, to: { [odd]: [odd] } }],
    });
    const added = await store.add(entry, KEEP_ALL, T0);
    const got = await store.get(added.id);
    expect(got?.key).toBe(odd);
    expect(got?.issues).toEqual(entry.issues);
    expect(got?.repairs).toEqual(entry.repairs);
  });
}

/** Seeds a mixed quarantine and returns its records, oldest first. */
async function seedMixed(store: QuarantineStore): Promise<QuarantineRecord[]> {
  const rows: QuarantineRecord[] = [];
  const plan = [
    { subject: "orders", version: 1, reason: "invalid" },
    { subject: "users", version: 1, reason: "invalid" },
    { subject: "orders", version: 2, reason: "no_json" },
    { subject: "orders", version: 2, reason: "invalid" },
    { subject: "users", version: 3, reason: "refusal" },
    { subject: "orders", version: 1, reason: "too_large" },
  ] as const;
  for (const [i, p] of plan.entries()) {
    rows.push(
      await store.add(sample(p.subject, i, { version: p.version, reason: p.reason }), KEEP_ALL, at(i)),
    );
  }
  await store.markResolved([rows[0]!.id, rows[4]!.id], 2, at(10));
  return Promise.all(rows.map(async (r) => (await store.get(r.id))!));
}

function describeListing(fresh: FreshQuarantine): void {
  test("lists every sample newest first", async () => {
    const store = await fresh();
    const rows = await seedMixed(store);
    const page = await store.list({ limit: 100 });
    expect(page).toEqual({ items: [...rows].reverse() });
  });

  test("lists nothing from an empty quarantine or an unknown subject", async () => {
    const store = await fresh();
    expect(await store.list({ limit: 10 })).toEqual({ items: [] });
    await addMany(store, "orders", 2);
    expect(await store.list({ subject: "nope", limit: 10 })).toEqual({ items: [] });
  });

  const filters: Array<[string, Omit<QuarantineQuery, "limit">, number[]]> = [
    ["subject", { subject: "orders" }, [5, 3, 2, 0]],
    ["status open", { status: "open" }, [5, 3, 2, 1]],
    ["status resolved", { status: "resolved" }, [4, 0]],
    ["reason", { reason: "invalid" }, [3, 1, 0]],
    ["version", { version: 2 }, [3, 2]],
    ["since (inclusive)", { since: at(3).toISOString() }, [5, 4, 3]],
    ["until (exclusive)", { until: at(2).toISOString() }, [1, 0]],
    ["since and until", { since: at(1).toISOString(), until: at(4).toISOString() }, [3, 2, 1]],
    ["since with a time-zone offset", { since: "2026-03-01T13:04:00+01:00" }, [5, 4]],
    ["subject, status and version", { subject: "orders", status: "open", version: 1 }, [5]],
    ["subject and reason", { subject: "users", reason: "refusal" }, [4]],
    ["a filter nothing matches", { subject: "users", reason: "too_deep" }, []],
  ];
  test.each(filters)("filters by %s", async (_label, filter, expected) => {
    const store = await fresh();
    const rows = await seedMixed(store);
    const page = await store.list({ ...filter, limit: 100 });
    expect(page.items.map((r) => rows.findIndex((x) => x.id === r.id))).toEqual(expected);
    expect(page.nextCursor).toBeUndefined();
  });
}

/** Follows nextCursor to the end, adding `between(pageNumber)` samples between pages. */
async function walk(
  store: QuarantineStore,
  query: QuarantineQuery,
  between: (page: number) => Promise<void> = async () => undefined,
): Promise<{ ids: number[]; pages: number }> {
  const ids: number[] = [];
  let cursor: number | undefined;
  let pages = 0;
  do {
    const page = await store.list(cursor === undefined ? query : { ...query, cursor });
    pages++;
    expect(page.items.length).toBeLessThanOrEqual(query.limit);
    if (page.nextCursor !== undefined) expect(page.nextCursor).toBe(page.items.at(-1)?.id);
    ids.push(...page.items.map((r) => r.id));
    cursor = page.nextCursor;
    await between(pages);
  } while (cursor !== undefined && pages < 100);
  return { ids, pages };
}

function describePaging(fresh: FreshQuarantine): void {
  test.each([
    [25, 7, 4],
    [25, 5, 5],
    [25, 25, 1],
    [25, 1000, 1],
    [3, 1, 3],
  ])("pages %i samples %i at a time without duplicates or gaps (%i pages)", async (count, limit, pages) => {
    const store = await fresh();
    const ids = await addMany(store, "orders", count);
    const result = await walk(store, { limit });
    expect(result.ids).toEqual([...ids].reverse());
    expect(result.pages).toBe(pages);
  });

  test("pages through a filtered listing", async () => {
    const store = await fresh();
    const orders = await addMany(store, "orders", 12);
    await addMany(store, "users", 12, 100);
    const resolved = orders.filter((_, i) => i % 3 === 0);
    await store.markResolved(resolved, 2, at(500));
    const result = await walk(store, { subject: "orders", status: "open", limit: 3 });
    expect(result.ids).toEqual(orders.filter((id) => !resolved.includes(id)).reverse());
  });

  test("stays stable when samples are added between pages: the walk sees exactly the ones there at its start", async () => {
    const store = await fresh();
    const ids = await addMany(store, "orders", 20);
    let minute = 1000;
    const result = await walk(store, { subject: "orders", limit: 6 }, async () => {
      await addMany(store, "orders", 2, minute);
      minute += 10;
    });
    expect(result.ids).toEqual([...ids].reverse());
  });
}
