import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import type { JsonSchema } from "../../../src/core/json.js";
import { valueAt } from "../../../src/core/parse/issues.js";
import { createParser } from "../../../src/core/parse/pipeline.js";

const dir = new URL("../../fixtures/outputs/", import.meta.url);
const schema = JSON.parse(readFileSync(new URL("ticket.schema.json", dir), "utf8")) as JsonSchema;

interface Case {
  file: string;
  ok: boolean;
  track?: "strict" | "tolerant";
  reason?: string;
  repairs?: string[];
  issues?: Array<{ code: string; path: string }>;
  values?: Record<string, unknown>;
}
const cases = JSON.parse(readFileSync(new URL("cases.json", dir), "utf8")) as Case[];
const parser = createParser(schema);

describe.each(cases)("corpus output $file", (c) => {
  const text = readFileSync(new URL(c.file, dir), "utf8");
  const result = parser.parse(text);

  test(c.ok ? `is accepted on the ${c.track} track` : `fails with reason ${c.reason}`, () => {
    expect(result.ok).toBe(c.ok);
    if (result.ok) expect(result.track).toBe(c.track);
    else expect(result.reason).toBe(c.reason);
  });

  if (c.repairs !== undefined) {
    test(`lists exactly the repairs ${c.repairs.join(", ") || "(none)"}`, () => {
      expect(result.repairs.map((r) => r.kind).sort()).toEqual([...c.repairs!].sort());
    });
  }

  if (c.issues !== undefined) {
    test("reports the expected issues", () => {
      expect(result.ok).toBe(false);
      const got = result.ok ? [] : result.issues.map((i) => ({ code: i.code, path: i.path }));
      expect(got).toEqual(c.issues);
    });
  }

  if (c.values !== undefined) {
    test("produces the expected values", () => {
      expect(result.ok).toBe(true);
      const data = result.ok ? result.data : undefined;
      for (const [pointer, want] of Object.entries(c.values!)) expect(valueAt(data, pointer)).toEqual(want);
    });
  }

  test("every accepted value passes the schema and every repair has a JSON Pointer path", () => {
    for (const r of result.repairs) expect(r.path === "" || r.path.startsWith("/")).toBe(true);
    if (result.ok) expect(createParser(schema, { tolerant: false }).parse(result.data).ok).toBe(true);
  });
});

test("the corpus leaves Object.prototype untouched", () => {
  const result = parser.parse(readFileSync(new URL("proto-keys.txt", dir), "utf8"));
  expect(result.ok).toBe(true);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.getPrototypeOf(result.ok ? result.data : null)).toBe(Object.prototype);
});
