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

async function run(validateNow?: (output: unknown, key: string) => ValidationOutcome | undefined) {
  let out = "";
  const asked: string[] = [];
  const tally = await runBatch({
    lines: (async function* () {
      yield LINES;
    })(),
    write: async (chunk) => {
      out += chunk;
    },
    validate: async (output, key) => {
      asked.push(key);
      if (key === "line:5") throw new Error("boom");
      return outcomeOf(output, key);
    },
    ...(validateNow === undefined ? {} : { validateNow }),
  });
  return { out, asked, summary: tally.summary(0) };
}

describe("runBatch", () => {
  test("lines answered by validateNow skip validate; the results are the same as without it", async () => {
    const plain = await run();
    const fast = await run((output, key) =>
      key === "line:5" || typeof output === "number" ? undefined : outcomeOf(output, key),
    );
    expect(fast.out).toBe(plain.out);
    expect(fast.summary).toEqual(plain.summary);
    // Only what validateNow left undefined went to validate (the thrown error too).
    expect(fast.asked).toEqual(["line:5"]);
    expect(plain.asked).toEqual(["line:1", "k2", "line:4", "line:5"]);
  });

  test("an error thrown by validateNow is that line's error result", async () => {
    const plain = await run();
    const throwing = await run((output, key) => {
      if (key === "line:5") throw new Error("boom");
      return outcomeOf(output, key);
    });
    expect(throwing.out).toBe(plain.out);
  });
});
