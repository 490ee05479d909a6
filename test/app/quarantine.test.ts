import { describe, expect, test } from "vitest";
import { createMemoryQuarantineStore } from "../../src/adapters/storage/memory-quarantine-store.js";
import { createQuarantineService } from "../../src/app/quarantine.js";
import { StructregError } from "../../src/core/errors.js";
import { closed, harness, NOW, V1 } from "../app/validation-fixtures.js";

/** Accepts what V1 rejects (a missing status, filled with null): a newer version replays can recover with. */
const V2_LOOSER = closed({
  name: { type: "string" },
  status: { type: ["string", "null"], enum: ["open", "closed", "other", null] },
});
const NO_STATUS = '{"name":"a"}';

async function setup(maxRawBytes = 1024) {
  const store = createMemoryQuarantineStore();
  const h = await harness([V1], {
    quarantine: { store, retention: { maxPerSubject: 100, maxAgeMs: 1e10 }, maxRawBytes },
  });
  const quarantine = createQuarantineService({
    store,
    validation: h.validation,
    now: () => NOW,
    pageSize: 2,
  });
  return { ...h, store, quarantine };
}

async function collect(lines: AsyncIterable<string>): Promise<string> {
  let text = "";
  for await (const line of lines) text += line;
  return text;
}

describe("quarantine service", () => {
  test("gets a sample, and SR_SAMPLE_NOT_FOUND for an unknown id", async () => {
    const { validation, quarantine } = await setup();
    const outcome = await validation.validate("tickets", "{}");
    const id = (outcome as { quarantineId: number }).quarantineId;
    expect(await quarantine.get(id)).toMatchObject({ id, subject: "tickets", raw: "{}" });
    await expect(quarantine.get(999)).rejects.toSatisfy(
      (err) => err instanceof StructregError && err.code === "SR_SAMPLE_NOT_FOUND",
    );
  });

  test("exports every matching sample as one JSON object per line, paging through the store", async () => {
    const { validation, quarantine } = await setup();
    for (let i = 0; i < 5; i++) await validation.validate("tickets", `{"name":${i}}`, { key: `k${i}` });
    const text = await collect(quarantine.exportJsonl({ subject: "tickets" }));
    expect(text.endsWith("\n")).toBe(true);
    const lines = text
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.map((l) => l.id)).toEqual([5, 4, 3, 2, 1]);
    expect(lines[0]).toMatchObject({
      subject: "tickets",
      version: 1,
      reason: "invalid",
      raw: '{"name":4}',
      key: "k4",
      status: "open",
      createdAt: NOW.toISOString(),
      issues: expect.any(Array),
    });
  });

  test("exports nothing for a subject without samples", async () => {
    const { quarantine } = await setup();
    expect(await collect(quarantine.exportJsonl({ subject: "none" }))).toBe("");
  });

  test("replay marks samples a newer version accepts as resolved, without writing new samples", async () => {
    const { validation, quarantine, registry, store } = await setup();
    await validation.validate("tickets", NO_STATUS);
    await validation.validate("tickets", '{"status":"open"}');
    await registry.register("tickets", V2_LOOSER);
    const summary = await quarantine.replay("tickets");
    expect(summary).toEqual({
      replayed: 2,
      recovered: 1,
      stillFailing: 1,
      items: [
        { id: 2, ok: false, resolved: false, reason: "invalid" },
        { id: 1, ok: true, resolved: true, version: 2, track: "tolerant" },
      ],
    });
    expect(await store.get(1)).toMatchObject({
      status: "resolved",
      resolvedVersion: 2,
      resolvedAt: NOW.toISOString(),
    });
    expect(await store.counts()).toEqual([{ subject: "tickets", open: 1, resolved: 1 }]);
  });

  test("replays against a given version", async () => {
    const { validation, quarantine, registry } = await setup();
    await validation.validate("tickets", NO_STATUS);
    await registry.register("tickets", V2_LOOSER);
    const summary = await quarantine.replay("tickets", { version: 1 });
    expect(summary).toMatchObject({ replayed: 1, recovered: 0, stillFailing: 1 });
  });

  test("replays only the given ids, and only open samples of the subject", async () => {
    const { validation, quarantine, registry } = await setup();
    await validation.validate("tickets", NO_STATUS);
    await validation.validate("tickets", '{"name":"b"}');
    await registry.register("tickets", V2_LOOSER);
    expect(await quarantine.replay("tickets", { ids: [2, 42] })).toMatchObject({ replayed: 1, recovered: 1 });
    expect(await quarantine.replay("tickets", { ids: [2] })).toMatchObject({ replayed: 0 });
    expect(await quarantine.replay("tickets", { limit: 5 })).toMatchObject({ replayed: 1, recovered: 1 });
  });

  test("never resolves a truncated sample, even when what was kept parses", async () => {
    const { validation, quarantine, registry, store } = await setup(20);
    const text = `${NO_STATUS}${" ".repeat(100)}`;
    await validation.validate("tickets", text);
    await registry.register("tickets", V2_LOOSER);
    const summary = await quarantine.replay("tickets");
    expect(summary).toMatchObject({
      replayed: 1,
      recovered: 0,
      stillFailing: 0,
      items: [{ ok: true, resolved: false }],
    });
    expect(await store.get(1)).toMatchObject({ status: "open", truncated: true });
  });

  test("replays a Responses API refusal as a refusal", async () => {
    const { validation, quarantine } = await setup();
    const refusal = {
      object: "response",
      status: "completed",
      output: [{ type: "message", content: [{ type: "refusal", refusal: "No." }] }],
    };
    expect(await validation.validate("tickets", refusal)).toMatchObject({ reason: "refusal" });
    expect(await quarantine.replay("tickets")).toMatchObject({ items: [{ ok: false, reason: "refusal" }] });
  });
});
