import { describe, expect, test } from "vitest";
import {
  createValidationService,
  type ValidateOptions,
  type ValidationDeps,
} from "../../src/app/validation.js";
import type { SourceVersion, VersionSource } from "../../src/app/validation-types.js";
import type { JsonObject } from "../../src/core/json.js";
import { V1, V2_WITH_DEFAULT } from "./validation-fixtures.js";

const GOOD_V1 = '{"name":"a","status":"open"}';
const GOOD_V2 = '{"name":"a","status":"open","priority":"high"}';
const TOLERANT_V2 = 'Here: {"name":"a","status":"OPEN","priority":"high",}';

function version(n: number, schema: JsonObject, state: SourceVersion["state"] = "ENABLED"): SourceVersion {
  return { version: n, id: n, fingerprint: `fp-${n}`, state, schema };
}

/** A service over an in-memory source whose `cached` answers once `versions` has been read. */
function setup(list: SourceVersion[], overrides: Partial<ValidationDeps> = {}, withCached = true) {
  const warm = new Set<string>();
  const lists: Record<string, SourceVersion[]> = { tickets: list };
  const source: VersionSource = {
    versions: async (subject) => {
      warm.add(subject);
      return lists[subject] ?? [];
    },
  };
  if (withCached) source.cached = (subject) => (warm.has(subject) ? (lists[subject] ?? []) : undefined);
  const outcomes: unknown[] = [];
  let n = 0;
  const deps: ValidationDeps = {
    versions: source,
    now: () => new Date(0),
    randomKey: () => `random-${++n}`,
    onOutcome: (o) => outcomes.push(o),
    ...overrides,
  };
  return { validation: createValidationService(deps), outcomes, warm: (s: string) => source.versions(s) };
}

describe("validateNow", () => {
  test.each<[string, string, ValidateOptions]>([
    ["a strict success on the latest version", GOOD_V2, { key: "k" }],
    ["a tolerant success, with its repairs", TOLERANT_V2, { key: "k" }],
    ["a pinned version", GOOD_V1, { version: 1, key: "k" }],
    ["a generated key", GOOD_V2, {}],
    ["a dry run (not observed)", GOOD_V2, { key: "k", dryRun: true }],
  ])("answers exactly what validate answers: %s", async (_name, output, options) => {
    const sync = setup([version(1, V1), version(2, V2_WITH_DEFAULT)]);
    const async = setup([version(1, V1), version(2, V2_WITH_DEFAULT)]);
    await sync.warm("tickets");
    const now = sync.validation.validateNow("tickets", output, options);
    const later = await async.validation.validate("tickets", output, options);
    expect(now).toBeDefined();
    // Same fields in the same order (results are serialised as they are).
    expect(JSON.stringify(now)).toBe(JSON.stringify(later));
    expect(JSON.stringify(sync.outcomes)).toBe(JSON.stringify(async.outcomes));
  });

  test("skips a DISABLED latest version like validate", async () => {
    const { validation, warm } = setup([version(1, V1), version(2, V2_WITH_DEFAULT, "DISABLED")]);
    await warm("tickets");
    expect(validation.validateNow("tickets", GOOD_V1, { key: "k" })).toMatchObject({ targetVersion: 1 });
  });

  test("answers undefined, having done nothing, when the output fails the target", async () => {
    const { validation, outcomes, warm } = setup([version(1, V1), version(2, V2_WITH_DEFAULT)]);
    await warm("tickets");
    expect(validation.validateNow("tickets", "no json here")).toBeUndefined();
    expect(outcomes).toEqual([]);
    // No key was generated: validate() then uses the first one.
    const outcome = await validation.validate("tickets", "no json here");
    expect(outcome).toMatchObject({ ok: false, key: "random-1" });
  });

  test("answers undefined when the target rejects but another version would accept (fallback stays async)", async () => {
    const { validation, warm } = setup([version(1, V1), version(2, closedWithout())]);
    await warm("tickets");
    expect(validation.validateNow("tickets", GOOD_V1, { key: "k" })).toBeUndefined();
    expect(await validation.validate("tickets", GOOD_V1, { key: "k" })).toMatchObject({ track: "fallback" });
  });

  test("answers undefined before the source has the versions cached", () => {
    const { validation } = setup([version(1, V1)]);
    expect(validation.validateNow("tickets", GOOD_V1, { key: "k" })).toBeUndefined();
  });

  test("answers undefined when the source cannot answer synchronously at all", async () => {
    const { validation, warm } = setup([version(1, V1)], {}, false);
    await warm("tickets");
    expect(validation.validateNow("tickets", GOOD_V1, { key: "k" })).toBeUndefined();
  });

  test("leaves an unknown subject or version to validate (which throws)", async () => {
    const { validation, warm } = setup([version(1, V1)]);
    await warm("tickets");
    await warm("nope");
    expect(validation.validateNow("nope", GOOD_V1, { key: "k" })).toBeUndefined();
    expect(validation.validateNow("tickets", GOOD_V1, { version: 9, key: "k" })).toBeUndefined();
  });

  test("never calls resolveTarget: a rollout decision is validate's", async () => {
    let calls = 0;
    const { validation, warm } = setup([version(1, V1)], {
      resolveTarget: () => {
        calls++;
        return { version: 1, resolution: "rollout:stable" };
      },
    });
    await warm("tickets");
    expect(validation.validateNow("tickets", GOOD_V1, { key: "k" })).toBeUndefined();
    expect(validation.validateNow("tickets", GOOD_V1, { version: 1, key: "k" })).toMatchObject({
      resolution: "pinned",
    });
    expect(calls).toBe(0);
  });
});

/** A latest version that rejects GOOD_V1 (a new required property without a default). */
function closedWithout(): JsonObject {
  return {
    type: "object",
    properties: { name: { type: "string" }, status: { type: "string" }, extra: { type: "string" } },
    required: ["name", "status", "extra"],
    additionalProperties: false,
  };
}
