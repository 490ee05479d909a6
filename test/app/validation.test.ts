import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import { createMemoryQuarantineStore } from "../../src/adapters/storage/memory-quarantine-store.js";
import { createValidationService } from "../../src/app/validation.js";
import type { SourceVersion, VersionSource } from "../../src/app/validation-types.js";
import { StructregError } from "../../src/core/errors.js";
import { closed, harness, NOW, V1, V2_INCOMPATIBLE, V2_WITH_DEFAULT } from "./validation-fixtures.js";

const GOOD_V1 = '{"name":"a","status":"open"}';
const GOOD_V2 = '{"name":"a","status":"open","priority":"high"}';

async function rejects(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toSatisfy((err) => err instanceof StructregError && err.code === code);
}

describe("target resolution", () => {
  test("validates against the latest live version by default, with a generated key", async () => {
    const { validation } = await harness([V1, V2_WITH_DEFAULT]);
    const outcome = await validation.validate("tickets", GOOD_V2);
    expect(outcome).toEqual({
      ok: true,
      subject: "tickets",
      version: 2,
      targetVersion: 2,
      resolution: "latest",
      track: "strict",
      data: { name: "a", status: "open", priority: "high" },
      repairs: [],
      key: "random-1",
      keyGenerated: true,
    });
  });

  test("reports the caller's key as given", async () => {
    const { validation } = await harness([V1]);
    const outcome = await validation.validate("tickets", GOOD_V1, { key: "user-7" });
    expect(outcome).toMatchObject({ key: "user-7", keyGenerated: false });
  });

  test("a pinned version is the target, with resolution pinned", async () => {
    const { validation } = await harness([V1, V2_WITH_DEFAULT]);
    const outcome = await validation.validate("tickets", GOOD_V1, { version: 1 });
    expect(outcome).toMatchObject({ ok: true, version: 1, targetVersion: 1, resolution: "pinned" });
  });

  test("skips a DISABLED latest version but keeps a DEPRECATED one", async () => {
    const { validation, registry } = await harness([V1, V2_WITH_DEFAULT]);
    await registry.setVersionState("tickets", 2, "DEPRECATED");
    expect(await validation.validate("tickets", GOOD_V2)).toMatchObject({ targetVersion: 2 });
    await registry.setVersionState("tickets", 2, "DISABLED");
    expect(await validation.validate("tickets", GOOD_V1)).toMatchObject({ ok: true, targetVersion: 1 });
  });

  test("asks resolveTarget with the key and the live versions", async () => {
    const calls: Array<{ key: string; live: number[] }> = [];
    const { validation, registry } = await harness([V1, V2_WITH_DEFAULT, V2_INCOMPATIBLE], {
      resolveTarget: async (_subject, key, live) => {
        calls.push({ key, live: live.map((v) => v.version) });
        return { version: 2, resolution: "rollout:candidate" };
      },
    });
    await registry.setVersionState("tickets", 1, "DISABLED");
    const outcome = await validation.validate("tickets", GOOD_V2, { key: "k1" });
    expect(outcome).toMatchObject({ ok: true, targetVersion: 2, resolution: "rollout:candidate" });
    expect(calls).toEqual([{ key: "k1", live: [2, 3] }]);
  });

  test("an unknown subject is SR_SUBJECT_NOT_FOUND", async () => {
    const { validation } = await harness([V1]);
    await rejects(validation.validate("nope", GOOD_V1), "SR_SUBJECT_NOT_FOUND");
  });

  test("an unknown pinned version is SR_VERSION_NOT_FOUND", async () => {
    const { validation } = await harness([V1]);
    await rejects(validation.validate("tickets", GOOD_V1, { version: 9 }), "SR_VERSION_NOT_FOUND");
  });

  test("a subject whose versions are all DISABLED is SR_VERSION_NOT_FOUND", async () => {
    const { validation, registry } = await harness([V1]);
    await registry.setVersionState("tickets", 1, "DISABLED");
    await rejects(validation.validate("tickets", GOOD_V1), "SR_VERSION_NOT_FOUND");
  });
});

describe("tracks", () => {
  test("recovers fenced output on the tolerant track and lists the repairs", async () => {
    const { validation } = await harness([V1]);
    const outcome = await validation.validate("tickets", `Here:\n\`\`\`json\n${GOOD_V1}\n\`\`\``);
    expect(outcome).toMatchObject({ ok: true, track: "tolerant", version: 1 });
    expect(outcome.repairs.map((r) => r.kind)).toContain("extracted_fence");
  });

  test("accepts an already-parsed value", async () => {
    const { validation } = await harness([V1]);
    const outcome = await validation.validate("tickets", { name: "a", status: "closed" });
    expect(outcome).toMatchObject({ ok: true, track: "strict", data: { name: "a", status: "closed" } });
  });
});

describe("version fallback", () => {
  test("upgrades output of an older version when the target is backward compatible with it", async () => {
    const { validation } = await harness([V1, V2_WITH_DEFAULT]);
    const outcome = await validation.validate("tickets", GOOD_V1);
    expect(outcome).toMatchObject({
      ok: true,
      track: "fallback",
      version: 2,
      targetVersion: 2,
      matchedVersion: 1,
      upgraded: true,
      data: { name: "a", status: "open", priority: "low" },
    });
  });

  test("answers the matched version when the target is not backward compatible with it", async () => {
    const { validation } = await harness([V1, V2_INCOMPATIBLE]);
    const outcome = await validation.validate("tickets", GOOD_V1);
    expect(outcome).toMatchObject({
      ok: true,
      track: "fallback",
      version: 1,
      targetVersion: 2,
      matchedVersion: 1,
      upgraded: false,
      data: { name: "a", status: "open" },
    });
  });

  test("answers the matched version when the upgraded value still fails the target", async () => {
    const badDefault = closed({
      name: { type: "string" },
      status: { type: "string", enum: ["open", "closed", "other"] },
      priority: { type: "string", enum: ["low", "high"], default: "medium" },
    });
    const { validation } = await harness([V1, badDefault]);
    const outcome = await validation.validate("tickets", GOOD_V1);
    expect(outcome).toMatchObject({ ok: true, version: 1, matchedVersion: 1, upgraded: false });
  });

  test("tries only ENABLED versions", async () => {
    const { validation, registry } = await harness([V1, V2_INCOMPATIBLE]);
    await registry.setVersionState("tickets", 1, "DEPRECATED");
    const outcome = await validation.validate("tickets", GOOD_V1);
    expect(outcome).toMatchObject({ ok: false, reason: "invalid", version: 2 });
  });

  test("tries at most maxFallbackVersions versions, newest first", async () => {
    const other = closed({ id: { type: "integer" } });
    const third = closed({ code: { type: "integer" } });
    const { validation } = await harness([V1, other, third, V2_INCOMPATIBLE], { maxFallbackVersions: 2 });
    expect(await validation.validate("tickets", GOOD_V1)).toMatchObject({ ok: false });
    expect(await validation.validate("tickets", '{"code":3}')).toMatchObject({ ok: true, matchedVersion: 3 });
  });

  test("does not fall back when asked not to", async () => {
    const { validation } = await harness([V1, V2_INCOMPATIBLE]);
    const outcome = await validation.validate("tickets", GOOD_V1, { fallback: false });
    expect(outcome).toMatchObject({ ok: false, reason: "invalid", version: 2 });
  });

  test("never falls back for a refusal", async () => {
    const { validation } = await harness([V1, V2_INCOMPATIBLE]);
    const refusal = {
      object: "response",
      status: "completed",
      output: [{ type: "message", content: [{ type: "refusal", refusal: "I can't help with that." }] }],
    };
    const outcome = await validation.validate("tickets", refusal);
    expect(outcome).toMatchObject({ ok: false, reason: "refusal", version: 2 });
  });

  test("a failure carries the target's issues", async () => {
    const { validation } = await harness([V1, V2_WITH_DEFAULT]);
    const outcome = await validation.validate("tickets", '{"name":"a"}');
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.issues.map((i) => i.path).sort()).toEqual(["/priority", "/status"]);
  });
});

describe("quarantine", () => {
  test("writes the sample before answering and names it in the failure", async () => {
    const { validation, store } = await harness([V1]);
    const outcome = await validation.validate("tickets", '{"name":3}', { key: "user-1" });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.quarantineId).toBeTypeOf("number");
    const record = await store.get(outcome.quarantineId as number);
    expect(record).toMatchObject({
      subject: "tickets",
      version: 1,
      reason: "invalid",
      raw: '{"name":3}',
      rawBytes: 10,
      truncated: false,
      key: "user-1",
      status: "open",
      createdAt: NOW.toISOString(),
    });
    expect(record?.issues).toEqual(outcome.issues);
  });

  test("keeps no key for a generated one", async () => {
    const { validation, store } = await harness([V1]);
    const outcome = await validation.validate("tickets", "no json here");
    const record = await store.get((outcome as { quarantineId: number }).quarantineId);
    expect(record).toMatchObject({ reason: "no_json", key: null });
  });

  test("caps the raw text on a character boundary and keeps the full size and sha256", async () => {
    const quarantine = createMemoryQuarantineStore();
    const { validation } = await harness([V1], {
      quarantine: { store: quarantine, retention: { maxPerSubject: 10, maxAgeMs: 1e9 }, maxRawBytes: 8 },
    });
    // "é" is two bytes: a cut at 8 bytes keeps it and six x's, never half of it.
    const text = `é${"x".repeat(20)} no json`;
    const outcome = await validation.validate("tickets", text);
    const record = await quarantine.get((outcome as { quarantineId: number }).quarantineId);
    expect(record).toMatchObject({
      raw: `é${"x".repeat(6)}`,
      rawBytes: Buffer.byteLength(text),
      rawSha256: createHash("sha256").update(text).digest("hex"),
      truncated: true,
    });
  });

  test("stores objects as JSON text, also when nested too deeply for JSON.stringify", async () => {
    const quarantine = createMemoryQuarantineStore();
    const { validation } = await harness([V1], {
      quarantine: { store: quarantine, retention: { maxPerSubject: 10, maxAgeMs: 1e9 }, maxRawBytes: 64 },
    });
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const outcome = await validation.validate("tickets", deep);
    expect(outcome).toMatchObject({ ok: false });
    const record = await quarantine.get((outcome as { quarantineId: number }).quarantineId);
    const full = `${"[".repeat(100_000)}1${"]".repeat(100_000)}`;
    expect(record).toMatchObject({
      raw: "[".repeat(64),
      rawBytes: full.length,
      rawSha256: createHash("sha256").update(full).digest("hex"),
      truncated: true,
    });
  });

  test("a dry run writes nothing and reports nothing", async () => {
    const { validation, store, outcomes } = await harness([V1]);
    const outcome = await validation.validate("tickets", "{}", { dryRun: true });
    expect(outcome).toMatchObject({ ok: false });
    expect(outcome).not.toHaveProperty("quarantineId");
    expect(await store.counts()).toEqual([]);
    expect(outcomes).toEqual([]);
  });

  test("without a quarantine a failure has no quarantineId", async () => {
    const { validation } = await harness([V1], { quarantine: undefined as never });
    const outcome = await validation.validate("tickets", "{}");
    expect(outcome).toMatchObject({ ok: false, reason: "invalid" });
    expect(outcome).not.toHaveProperty("quarantineId");
  });
});

describe("observation", () => {
  test("reports every outcome to onOutcome, and a throwing observer changes nothing", async () => {
    const { validation, outcomes } = await harness([V1]);
    await validation.validate("tickets", GOOD_V1);
    await validation.validate("tickets", "{}");
    expect(outcomes.map((o) => (o as { ok: boolean }).ok)).toEqual([true, false]);
    const throwing = await harness([V1], {
      onOutcome: () => {
        throw new Error("metrics down");
      },
    });
    expect(await throwing.validation.validate("tickets", GOOD_V1)).toMatchObject({ ok: true });
  });
});

describe("version source", () => {
  test("is asked on every call (it does its own caching)", async () => {
    let reads = 0;
    const version: SourceVersion = { version: 1, id: 1, fingerprint: "fp1", state: "ENABLED", schema: V1 };
    const list = Promise.resolve([version]);
    const versions: VersionSource = {
      versions: () => {
        reads++;
        return list;
      },
    };
    const validation = createValidationService({ versions, now: () => NOW, randomKey: () => "k" });
    expect(await validation.validate("s", GOOD_V1)).toMatchObject({ ok: true, key: "k" });
    expect(await validation.validate("s", GOOD_V1)).toMatchObject({ ok: true });
    expect(reads).toBe(2);
  });
});
