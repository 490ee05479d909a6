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

function isPromise(value: unknown): value is Promise<unknown> {
  return value instanceof Promise;
}

describe("validateNow", () => {
  test.each<[string, string, ValidateOptions]>([
    ["a strict success on the latest version", GOOD_V2, { key: "k" }],
    ["a tolerant success, with its repairs", TOLERANT_V2, { key: "k" }],
    ["a pinned version", GOOD_V1, { version: 1, key: "k" }],
    ["a generated key", GOOD_V2, {}],
    ["a dry run (not observed)", GOOD_V2, { key: "k", dryRun: true }],
  ])("answers at once exactly what validate answers: %s", async (_name, output, options) => {
    const sync = setup([version(1, V1), version(2, V2_WITH_DEFAULT)]);
    const async = setup([version(1, V1), version(2, V2_WITH_DEFAULT)]);
    await sync.warm("tickets");
    const now = sync.validation.validateNow("tickets", output, options);
    const later = await async.validation.validate("tickets", output, options);
    expect(isPromise(now)).toBe(false);
    // Same fields in the same order (results are serialised as they are).
    expect(JSON.stringify(now)).toBe(JSON.stringify(later));
    expect(JSON.stringify(sync.outcomes)).toBe(JSON.stringify(async.outcomes));
  });

  test("skips a DISABLED latest version like validate", async () => {
    const { validation, warm } = setup([version(1, V1), version(2, V2_WITH_DEFAULT, "DISABLED")]);
    await warm("tickets");
    expect(validation.validateNow("tickets", GOOD_V1, { key: "k" })).toMatchObject({ targetVersion: 1 });
  });

  test("answers a failure as a promise, with validate's outcome and side effects", async () => {
    const now = setup([version(1, V1), version(2, V2_WITH_DEFAULT)]);
    const later = setup([version(1, V1), version(2, V2_WITH_DEFAULT)]);
    await now.warm("tickets");
    const answer = now.validation.validateNow("tickets", "no json here");
    expect(isPromise(answer)).toBe(true);
    const outcome = await answer;
    expect(outcome).toMatchObject({ ok: false, reason: "no_json", key: "random-1" });
    expect(JSON.stringify(outcome)).toBe(
      JSON.stringify(await later.validation.validate("tickets", "no json here")),
    );
    expect(JSON.stringify(now.outcomes)).toBe(JSON.stringify(later.outcomes));
  });

  test("answers a fallback match as a promise", async () => {
    const { validation, warm } = setup([version(1, V1), version(2, closedWithout())]);
    await warm("tickets");
    const answer = validation.validateNow("tickets", GOOD_V1, { key: "k" });
    expect(isPromise(answer)).toBe(true);
    expect(await answer).toMatchObject({ ok: true, track: "fallback", matchedVersion: 1 });
  });

  test("fetches the versions (a promise) before the source has them cached, then answers at once", async () => {
    const { validation } = setup([version(1, V1)]);
    const first = validation.validateNow("tickets", GOOD_V1, { key: "k" });
    expect(isPromise(first)).toBe(true);
    expect(await first).toMatchObject({ ok: true, version: 1 });
    expect(isPromise(validation.validateNow("tickets", GOOD_V1, { key: "k" }))).toBe(false);
  });

  test("always answers a promise when the source cannot answer synchronously at all", async () => {
    const { validation, warm } = setup([version(1, V1)], {}, false);
    await warm("tickets");
    const answer = validation.validateNow("tickets", GOOD_V1, { key: "k" });
    expect(isPromise(answer)).toBe(true);
    expect(await answer).toMatchObject({ ok: true, version: 1 });
  });

  test("rejects (never throws) an unknown subject or version", async () => {
    const { validation, warm } = setup([version(1, V1)]);
    await warm("tickets");
    await warm("nope");
    const subject = validation.validateNow("nope", GOOD_V1, { key: "k" });
    const pinned = validation.validateNow("tickets", GOOD_V1, { version: 9, key: "k" });
    await expect(subject).rejects.toMatchObject({ code: "SR_SUBJECT_NOT_FOUND" });
    await expect(pinned).rejects.toMatchObject({ code: "SR_VERSION_NOT_FOUND" });
  });

  test("a synchronous rollout decision is answered at once; an asynchronous one as a promise; each asked once", async () => {
    const asked: string[] = [];
    let async = false;
    const { validation, warm } = setup([version(1, V1), version(2, V2_WITH_DEFAULT)], {
      resolveTarget: (_subject, key) => {
        asked.push(key);
        const decision = { version: 1, resolution: "rollout:stable" as const };
        return async ? Promise.resolve(decision) : decision;
      },
    });
    await warm("tickets");
    const now = validation.validateNow("tickets", GOOD_V1, { key: "a" });
    expect(isPromise(now)).toBe(false);
    expect(now).toMatchObject({ version: 1, resolution: "rollout:stable", key: "a" });
    async = true;
    const later = validation.validateNow("tickets", GOOD_V1, { key: "b" });
    expect(isPromise(later)).toBe(true);
    expect(await later).toMatchObject({ version: 1, resolution: "rollout:stable", key: "b" });
    // A pinned version needs no decision.
    expect(validation.validateNow("tickets", GOOD_V2, { version: 2, key: "c" })).toMatchObject({
      resolution: "pinned",
    });
    expect(asked).toEqual(["a", "b"]);
  });

  test("a decision naming an unknown version rejects like validate", async () => {
    const { validation, warm } = setup([version(1, V1)], {
      resolveTarget: () => ({ version: 7, resolution: "rollout:candidate" }),
    });
    await warm("tickets");
    await expect(validation.validateNow("tickets", GOOD_V1, { key: "k" })).rejects.toMatchObject({
      code: "SR_VERSION_NOT_FOUND",
    });
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
