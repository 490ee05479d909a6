import { describe, expect, test } from "vitest";
import type { ValidationOutcome } from "../../../src/app/validation-types.js";
import { runBatch } from "../../../src/cli/batch/run-batch.js";

const LINES = [
  '{"x":1}',
  "",
  '{"output":"{\\"x\\":2}","key":"k2"}',
  "oops",
  '{"x":3}',
  '{"output":1,"key":5}',
];

function outcomeOf(output: unknown, key: string): ValidationOutcome {
  const ok = typeof output !== "string" || output.startsWith("{");
  const base = {
    subject: "s",
    version: 1,
    targetVersion: 1,
    resolution: "latest" as const,
    repairs: [],
    key,
  };
  return ok
    ? { ok: true, ...base, track: "strict", data: typeof output === "string" ? JSON.parse(output) : output }
    : { ok: false, ...base, reason: "no_json", issues: [] };
}

type Validate = (output: unknown, key: string) => ValidationOutcome | Promise<ValidationOutcome>;

async function run(validate: Validate) {
  let out = "";
  const asked: string[] = [];
  const tally = await runBatch({
    lines: (async function* () {
      yield LINES;
    })(),
    write: async (chunk) => {
      out += chunk;
    },
    validate: (output, key) => {
      asked.push(key);
      return validate(output, key);
    },
  });
  return { out, asked, summary: tally.summary(0) };
}

/** Every answer a promise; line 5 rejects. */
const alwaysAsync: Validate = async (output, key) => {
  if (key === "line:5") throw new Error("boom");
  return outcomeOf(output, key);
};

describe("runBatch", () => {
  test("answers given at once and answers given as promises write the same results", async () => {
    const plain = await run(alwaysAsync);
    // Accepted lines at once, the rest as promises (as the validating client answers).
    const mixed = await run((output, key) => {
      if (key === "line:5") return Promise.reject(new Error("boom"));
      const outcome = outcomeOf(output, key);
      return outcome.ok ? outcome : Promise.resolve(outcome);
    });
    expect(mixed.out).toBe(plain.out);
    expect(mixed.summary).toEqual(plain.summary);
    expect(plain.asked).toEqual(["line:1", "k2", "line:4", "line:5"]);
    expect(mixed.asked).toEqual(plain.asked);
    expect(plain.out).toContain('"line":5');
    expect(plain.summary).toMatchObject({ lines: 5 });
  });

  test("an error thrown synchronously is that line's error result, like a rejection", async () => {
    const plain = await run(alwaysAsync);
    const throwing = await run((output, key) => {
      if (key === "line:5") throw new Error("boom");
      return outcomeOf(output, key);
    });
    expect(throwing.out).toBe(plain.out);
    expect(throwing.out).toMatch(/"line":5[^\n]*boom/);
  });
});
