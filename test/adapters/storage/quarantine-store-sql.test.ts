import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { openSqlClient, openStores } from "../../../src/adapters/storage/open-store.js";
import type { SqlClient } from "../../../src/adapters/storage/sql-client.js";
import {
  createSqlQuarantineStore,
  MAX_QUARANTINE_PAGE,
} from "../../../src/adapters/storage/sql-quarantine-store.js";
import type { QuarantineStore } from "../../../src/app/ports.js";
import type { Repair } from "../../../src/core/parse/repairs.js";
import { createTempDir, truncateStructregTables } from "../../helpers/databases.js";
import { at, KEEP_ALL, sample, T0 } from "./quarantine-store-fixtures.js";

/** Nests `value` in `depth` one-element arrays. */
function nested(depth: number, value: unknown = 1): unknown {
  let v = value;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

describe("SQL quarantine store: storage format and input checks", () => {
  let client: SqlClient;
  let store: QuarantineStore;
  beforeAll(async () => {
    client = await openSqlClient({ memory: true });
    store = createSqlQuarantineStore(client);
  });
  beforeEach(() => truncateStructregTables(client));
  afterAll(() => client.close());

  async function column<T>(id: number, sql: string): Promise<T> {
    const rows = await client.query<{ v: T }>(`SELECT ${sql} AS v FROM structreg_quarantine WHERE id = $1`, [
      id,
    ]);
    return rows[0]!.v;
  }

  test("stores ordinary raw text and keys as plain text, readable from SQL", async () => {
    const { id } = await store.add(sample("orders", 1, { raw: '{"a":"ü😀"}', key: "k" }), KEEP_ALL, T0);
    expect(await column(id, "raw")).toBe('{"a":"ü😀"}');
    expect(await column(id, "raw_escaped")).toBe(false);
    expect(await column(id, "key")).toBe("k");
  });

  test("stores raw text PostgreSQL cannot hold as its JSON string literal, and says so", async () => {
    const raw = "a\u0000b\ud800";
    const { id } = await store.add(sample("orders", 1, { raw }), KEEP_ALL, T0);
    expect(await column(id, "raw_escaped")).toBe(true);
    expect(await column(id, "raw")).toBe(JSON.stringify(raw));
  });

  test("keeps ordinary issues as a queryable jsonb array", async () => {
    const { id } = await store.add(sample("orders", 1), KEEP_ALL, T0);
    expect(await column(id, `issues @> '[{"code":"missing_property"}]'`)).toBe(true);
    expect(await column(id, "jsonb_typeof(repairs)")).toBe("array");
  });

  test("keeps issues jsonb cannot hold (a NUL) as JSON text inside jsonb", async () => {
    const repairs: Repair[] = [{ kind: "control_char", path: "/a", from: "\u0000", to: "\\u0000" }];
    const { id } = await store.add(sample("orders", 1, { repairs }), KEEP_ALL, T0);
    expect(await column(id, "jsonb_typeof(repairs)")).toBe("object");
    expect((await store.get(id))?.repairs).toEqual(repairs);
  });

  test("keeps deeply nested repair values as JSON text, so reading them back stays cheap", async () => {
    const repairs: Repair[] = [{ kind: "wrapped_in_array", path: "", from: nested(500), to: [nested(500)] }];
    const { id } = await store.add(sample("orders", 1, { repairs }), KEEP_ALL, T0);
    expect(await column(id, "jsonb_typeof(repairs)")).toBe("object");
    expect((await store.get(id))?.repairs).toEqual(repairs);
  });

  test("refuses a sample whose repairs nest too deep to serialise with SR_STORE_ERROR, storing nothing", async () => {
    const repairs: Repair[] = [{ kind: "wrapped_in_array", path: "", from: nested(100_000) }];
    await expect(store.add(sample("orders", 1, { repairs }), KEEP_ALL, T0)).rejects.toMatchObject({
      code: "SR_STORE_ERROR",
    });
    expect(await store.counts()).toEqual([]);
  });

  test.each([0, -1, 1.5, MAX_QUARANTINE_PAGE + 1, Number.NaN])(
    "refuses a page size of %s with SR_INVALID_REQUEST",
    async (limit) => {
      await expect(store.list({ limit })).rejects.toMatchObject({ code: "SR_INVALID_REQUEST" });
    },
  );

  test.each([
    ["since", { since: "yesterday-ish" }],
    ["until", { until: "" }],
    ["cursor", { cursor: 1.5 }],
  ])("refuses an invalid %s with SR_INVALID_REQUEST", async (_label, filter) => {
    await expect(store.list({ ...filter, limit: 10 })).rejects.toMatchObject({ code: "SR_INVALID_REQUEST" });
  });

  test.each([
    { maxPerSubject: 0, maxAgeMs: 1000 },
    { maxPerSubject: 2.5, maxAgeMs: 1000 },
    { maxPerSubject: 10, maxAgeMs: -1 },
    { maxPerSubject: 10, maxAgeMs: Number.NaN },
  ])("refuses retention %o with SR_CONFIG_INVALID", async (retention) => {
    await expect(store.add(sample("orders", 1), retention, T0)).rejects.toMatchObject({
      code: "SR_CONFIG_INVALID",
    });
    await expect(store.prune(retention, T0)).rejects.toMatchObject({ code: "SR_CONFIG_INVALID" });
    expect(await store.counts()).toEqual([]);
  });

  test("treats an Infinity limit as no limit", async () => {
    const unlimited = { maxPerSubject: Number.POSITIVE_INFINITY, maxAgeMs: Number.POSITIVE_INFINITY };
    for (let i = 0; i < 3; i++) await store.add(sample("orders", i), unlimited, at(i * 1_000_000));
    expect(await store.prune(unlimited, at(10_000_000))).toBe(0);
    expect(await store.counts()).toEqual([{ subject: "orders", open: 3, resolved: 0 }]);
  });

  test("answers unknown, non-integer and huge ids with nothing", async () => {
    const { id } = await store.add(sample("orders", 1), KEEP_ALL, T0);
    expect(await store.get(id + 1)).toBeUndefined();
    expect(await store.get(1.5)).toBeUndefined();
    expect(await store.get(Number.MAX_SAFE_INTEGER + 2)).toBeUndefined();
    expect(await store.markResolved([1.5, Number.NaN, -1], 2, T0)).toBe(0);
  });
});

describe("openStores", () => {
  test("opens the schema and quarantine stores over one client, and closes them together", async () => {
    const dir = await createTempDir("structreg-open-stores-");
    try {
      const stores = await openStores({ dataDir: dir.path });
      await stores.schemas.register(
        { subject: "orders", fingerprint: "fp", schema: '{"type":"object"}' },
        () => undefined,
      );
      const { id } = await stores.quarantine.add(sample("orders", 1), KEEP_ALL, T0);
      const rows = await stores.client.query<{ n: number }>(
        "SELECT (SELECT count(*) FROM structreg_versions)::int + (SELECT count(*) FROM structreg_quarantine)::int AS n",
      );
      expect(rows).toEqual([{ n: 2 }]);
      await stores.close();
      await stores.close();
      await expect(stores.quarantine.get(id)).rejects.toMatchObject({ code: "SR_STORE_ERROR" });
    } finally {
      await dir.remove();
    }
  });
});
