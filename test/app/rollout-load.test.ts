import { afterEach, describe, expect, test } from "vitest";
import { createTestServices, type Services } from "../../src/compose.js";
import type { JsonSchema } from "../../src/core/json.js";

const open: Services[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

/** Test services with `subject` v1..vN registered under level NONE, rollout started. */
async function servicesWith(subject: string, versions: JsonSchema[]): Promise<Services> {
  const services = createTestServices({ logLevel: "silent" });
  open.push(services);
  await services.registry.setConfig(null, { compatibility: "NONE", profile: "json-schema" });
  for (const schema of versions) await services.registry.register(subject, schema);
  await services.rollout.service.start();
  return services;
}

const closed = (properties: Record<string, JsonSchema>): JsonSchema => ({
  type: "object",
  additionalProperties: false,
  required: Object.keys(properties),
  properties,
});

/** invoice v1 {f0}, v2 {f0, f1|null}, v3 {f0, f1|null, f2|null}: an output with f0..f2 passes v3 strictly, v2 tolerantly. */
const INVOICE = [
  closed({ f0: { type: "string" } }),
  closed({ f0: { type: "string" }, f1: { type: ["string", "null"] } }),
  closed({ f0: { type: "string" }, f1: { type: ["string", "null"] }, f2: { type: ["string", "null"] } }),
];

/** ticket v1 accepts "open"/"closed"; v2 wants an integer status (broken for these outputs); v3 is v1 again plus an optional note. */
const TICKET = [
  closed({ status: { type: "string", enum: ["open", "closed"] } }),
  closed({ status: { type: "integer" } }),
  closed({ status: { type: "string", enum: ["open", "closed"] }, note: { type: ["string", "null"] } }),
];

describe("rollout under a steady validate load", () => {
  test("set → ramp → rollback → promote: no errors, only {stable, candidate}, none on the candidate after rollback", async () => {
    const services = await servicesWith("invoice", INVOICE);
    const { validation, rollout } = services;
    const output = JSON.stringify({ f0: "a", f1: null, f2: null });
    type Seen = { phase: string; version: number; resolution: string };
    const seen: Seen[] = [];
    const errors: unknown[] = [];
    let phase = "before";
    let running = true;
    const worker = async (w: number) => {
      for (let i = 0; running; i++) {
        const startedIn = phase;
        try {
          const outcome = await validation.validate("invoice", output, { key: `user-${w}-${i % 200}` });
          if (!outcome.ok) errors.push(outcome);
          seen.push({ phase: startedIn, version: outcome.targetVersion, resolution: outcome.resolution });
        } catch (err) {
          errors.push(err);
        }
        if (i % 20 === 0) await new Promise((r) => setImmediate(r));
      }
    };
    const workers = Array.from({ length: 8 }, (_, w) => worker(w));
    const settle = () => new Promise((r) => setTimeout(r, 150));
    await settle();
    await rollout.service.set("invoice", { candidate: 3, percent: 10 }, "test");
    phase = "ramp10";
    await settle();
    await rollout.service.set("invoice", { percent: 50 }, "test");
    phase = "ramp50";
    await settle();
    await rollout.service.rollback("invoice", "test");
    // "After": a request that started once the rollback call had returned, in this process.
    phase = "rolledBack";
    await settle();
    await rollout.service.promote("invoice", "test");
    phase = "promoted";
    await settle();
    running = false;
    await Promise.all(workers);

    expect(errors).toEqual([]);
    const versionsIn = (p: string) => new Set(seen.filter((s) => s.phase === p).map((s) => s.version));
    for (const p of ["before", "ramp10", "ramp50", "rolledBack", "promoted"]) {
      expect(seen.filter((s) => s.phase === p).length, `requests in ${p}`).toBeGreaterThan(20);
    }
    expect(versionsIn("before")).toEqual(new Set([3])); // no rollout yet: latest
    expect(versionsIn("ramp10")).toEqual(new Set([2, 3]));
    expect(versionsIn("ramp50")).toEqual(new Set([2, 3]));
    expect(versionsIn("rolledBack")).toEqual(new Set([2]));
    expect(versionsIn("promoted")).toEqual(new Set([3]));
    expect(seen.filter((s) => s.phase === "rolledBack").every((s) => s.resolution === "rollout:stable")).toBe(
      true,
    );
  }, 30_000);
});

describe("guarded auto-rollback", () => {
  async function drive(services: Services, subject: string, calls: number) {
    for (let i = 0; i < calls; i++) {
      await services.validation.validate(subject, '{"status":"open"}', { key: `k${i}` });
    }
    await services.rollout.shadow.drain();
    await services.rollout.guard.idle();
  }

  test("trips within its minimum sample once a broken candidate is ramped, with the figures in the history", async () => {
    const services = await servicesWith("ticket", TICKET.slice(0, 2));
    await services.rollout.service.set(
      "ticket",
      { candidate: 2, stable: 1, percent: 50, guard: { minSample: 40, thresholdPercent: 20 } },
      "test",
    );
    await drive(services, "ticket", 200);
    const state = await services.rollout.service.get("ticket");
    expect(state).toMatchObject({ stage: "rolled_back", percent: 0, updatedBy: "system" });
    const [event] = await services.rollout.service.history("ticket", { limit: 1 });
    expect(event).toMatchObject({ action: "auto_rollback", who: "system" });
    expect(event?.figures?.candidate).toMatchObject({ version: 2, total: 40, failed: 40, ratePercent: 100 });
    expect(event?.figures?.stable).toMatchObject({ version: 1, failed: 0 });
    expect(event?.reason).toContain("candidate v2 failed 40/40 (100%)");
    const metrics = await services.metrics.registry.metrics();
    expect(metrics).toMatch(/structreg_rollout_auto_rollbacks_total\{subject="ticket"\} 1/);
    expect(metrics).toMatch(/structreg_rollout_stage\{subject="ticket",stage="rolled_back"\} 1/);
  });

  test("does not trip for a healthy candidate", async () => {
    const services = await servicesWith("ticket", [TICKET[0] as JsonSchema, TICKET[2] as JsonSchema]);
    await services.rollout.service.set(
      "ticket",
      { candidate: 2, stable: 1, percent: 50, guard: { minSample: 40 } },
      "t",
    );
    await drive(services, "ticket", 300);
    expect(await services.rollout.service.get("ticket")).toMatchObject({ stage: "ramping", percent: 50 });
    expect(services.rollout.guard.figures("ticket")?.candidate.total).toBeGreaterThan(100);
  });

  test("shadow: callers keep stable while the candidate's failures, seen in shadow runs, roll it back", async () => {
    const services = await servicesWith("ticket", TICKET.slice(0, 2));
    await services.rollout.service.set(
      "ticket",
      { candidate: 2, stable: 1, stage: "shadow", guard: { minSample: 30, shadowPercent: 100 } },
      "test",
    );
    const outcome = await services.validation.validate("ticket", '{"status":"open"}', { key: "k" });
    expect(outcome).toMatchObject({ ok: true, targetVersion: 1, resolution: "rollout:stable" });
    await drive(services, "ticket", 60);
    const [event] = await services.rollout.service.history("ticket", { limit: 1 });
    expect(event).toMatchObject({ action: "auto_rollback" });
    expect(event?.figures?.candidate.total).toBe(30);
    const metrics = await services.metrics.registry.metrics();
    expect(metrics).toMatch(
      /structreg_rollout_outcomes_total\{subject="ticket",version="2",arm="candidate",path="shadow",result="failed"\} 30/,
    );
  });

  test("a caller without a key gets a random per-request key, and the outcome says so", async () => {
    const services = await servicesWith("invoice", INVOICE);
    await services.rollout.service.set("invoice", { candidate: 3, percent: 50 }, "t");
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, () =>
        services.validation.validate("invoice", '{"f0":"a","f1":null,"f2":null}'),
      ),
    );
    expect(outcomes.every((o) => o.keyGenerated === true)).toBe(true);
    const onCandidate = outcomes.filter((o) => o.resolution === "rollout:candidate").length;
    expect(onCandidate).toBeGreaterThan(40);
    expect(onCandidate).toBeLessThan(160);
    const pinned = await services.validation.validate("invoice", '{"f0":"a"}', { version: 1 });
    expect(pinned).toMatchObject({ targetVersion: 1, resolution: "pinned" });
  });
});
