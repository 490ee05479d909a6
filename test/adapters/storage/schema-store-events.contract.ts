import { expect, test } from "vitest";
import type { Audit, RegistryEventInput } from "../../../src/app/registry-events.js";
import { allow, type FreshStore, input } from "./schema-store-fixtures.js";

const KEEP = { maxPerSubject: 1000, maxAgeMs: 0 };

/** An audit recording `kind` for `subject`, with the facts the store hands over as the change. */
function audit<T>(subject: string, kind: RegistryEventInput["kind"], retention = KEEP): Audit<T> {
  return {
    retention,
    describe: (facts) => ({
      subject,
      kind,
      version: null,
      changes: { facts: { from: null, to: JSON.stringify(facts ?? null) } },
      who: "ops",
      scope: "admin",
      reason: "because",
    }),
  };
}

/** The registry event log: written with the change, read newest first, trimmed by retention. */
export function describeEventsContract(fresh: FreshStore): void {
  test("records each change with what the store found, newest first, kept after a permanent delete", async () => {
    const store = await fresh();
    await store.register(input("orders", 1), allow, audit("orders", "registered"));
    await store.register(input("orders", 1), allow, audit("orders", "registered")); // existing: no event
    await store.setVersionState("orders", 1, "DEPRECATED", audit("orders", "state-changed"));
    await store.setConfig("orders", { compatibility: "FULL" }, audit("orders", "config-changed"));
    await store.deleteConfig("orders", audit("orders", "config-deleted"));
    await store.softDeleteSubject("orders", audit("orders", "subject-deleted"));
    await store.hardDeleteSubject("orders", audit("orders", "subject-deleted-permanently"));
    const events = await store.listEvents("orders", { limit: 10 });
    expect(events.map((e) => [e.kind, e.changes.facts?.to])).toEqual([
      ["subject-deleted-permanently", "[1]"],
      ["subject-deleted", "[1]"],
      ["config-deleted", JSON.stringify({ before: { compatibility: "FULL" } })],
      ["config-changed", JSON.stringify({ after: { compatibility: "FULL" } })],
      ["state-changed", JSON.stringify({ before: "ENABLED" })],
      ["registered", JSON.stringify({ id: 1, version: 1, created: true })],
    ]);
    expect(events[0]).toMatchObject({ subject: "orders", who: "ops", scope: "admin", reason: "because" });
    expect(events[0]!.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const older = await store.listEvents("orders", { limit: 2, before: events[1]!.id });
    expect(older.map((e) => e.kind)).toEqual(["config-deleted", "config-changed"]);
  });

  test("writes nothing when the change is refused or the audit describes no change", async () => {
    const store = await fresh();
    await store.register(input("orders", 1), allow);
    await expect(
      store.setVersionState("orders", 9, "DISABLED", audit("orders", "state-changed")),
    ).rejects.toMatchObject({ code: "SR_VERSION_NOT_FOUND" });
    const silent: Audit<unknown> = { retention: KEEP, describe: () => undefined };
    await store.setConfig("orders", { policy: "LENIENT" }, silent);
    expect(await store.listEvents("orders", { limit: 10 })).toEqual([]);
  });

  test("keeps the newest maxPerSubject events of a subject, other subjects untouched", async () => {
    const store = await fresh();
    await store.register(input("other", 1), allow, audit("other", "registered"));
    const tight = { maxPerSubject: 2, maxAgeMs: 0 };
    for (const state of ["DEPRECATED", "ENABLED", "DISABLED"] as const) {
      await store.register(input("orders", 1), allow);
      await store.setVersionState("orders", 1, state, audit("orders", "state-changed", tight));
    }
    const kept = await store.listEvents("orders", { limit: 10 });
    expect(kept.map((e) => e.changes.facts?.to)).toEqual([
      JSON.stringify({ before: "ENABLED" }),
      JSON.stringify({ before: "DEPRECATED" }),
    ]);
    expect(await store.listEvents("other", { limit: 10 })).toHaveLength(1);
  });
}
