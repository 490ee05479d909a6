import { describe, expect, test } from "vitest";
import { buildTextFormat, formatName } from "../../src/app/generation-format.js";
import { IdempotencyWindow } from "../../src/app/generation-idempotency.js";

describe("IdempotencyWindow", () => {
  test("forgets an answer after the window", async () => {
    let now = 0;
    const window = new IdempotencyWindow<number>(1000, () => now);
    let calls = 0;
    const task = async () => ++calls;
    expect(await window.run("k", "f", task)).toEqual({ value: 1, replayed: false });
    now = 999;
    expect(await window.run("k", "f", task)).toEqual({ value: 1, replayed: true });
    now = 2000;
    expect(await window.run("k", "f", task)).toEqual({ value: 2, replayed: false });
  });

  test("stays bounded under unique keys", async () => {
    const window = new IdempotencyWindow<number>(60_000, () => 0, 3);
    for (let i = 0; i < 10; i++) await window.run(`k${i}`, "f", async () => i);
    expect(window.size).toBe(3);
  });
});

describe("formatName", () => {
  test.each([
    ["invoice", 3, "invoice_v3"],
    ["billing.invoice-extraction", 1, "billing_invoice-extraction_v1"],
    ["a".repeat(200), 12, `${"a".repeat(60)}_v12`],
  ])("names %s v%i %s", (subject, version, name) => {
    expect(formatName(subject, version)).toBe(name);
    expect(name).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
  });

  test("builds a strict json_schema format", () => {
    expect(buildTextFormat("s", 1, { type: "object" })).toEqual({
      type: "json_schema",
      name: "s_v1",
      schema: { type: "object" },
      strict: true,
    });
  });
});
