import { describe, expect, test } from "vitest";
import { planVersions } from "../../../src/cli/migrate/plan.js";
import type { SchemaReference, VersionRecord } from "../../../src/cli/migrate/records.js";
import { compileSubjectFilter, matchGlob } from "../../../src/cli/migrate/subject-glob.js";
import { isStructregError } from "../../../src/core/errors.js";

function v(subject: string, version: number, id: number, references: SchemaReference[] = []): VersionRecord {
  return {
    type: "version",
    subject,
    version,
    id,
    schemaType: "JSON",
    schema: "{}",
    references,
    deleted: false,
  };
}

const keys = (order: VersionRecord[]) => order.map((r) => `${r.subject}@${r.version}#${r.id}`);

describe("planVersions", () => {
  test("orders by id when nothing references anything", () => {
    const plan = planVersions([v("b", 1, 3), v("a", 1, 1), v("c", 1, 2)]);
    expect(keys(plan.order)).toEqual(["a@1#1", "c@1#2", "b@1#3"]);
  });

  test("puts a referenced version before its referrer even when the referrer's id is lower", () => {
    const plan = planVersions([
      v("order", 1, 1, [{ name: "money.json", subject: "money", version: 1 }]),
      v("money", 1, 7),
    ]);
    expect(keys(plan.order)).toEqual(["money@1#7", "order@1#1"]);
  });

  test("keeps a subject's versions in ascending order whatever their ids", () => {
    const plan = planVersions([v("s", 2, 1), v("s", 1, 5), v("t", 1, 3)]);
    expect(keys(plan.order)).toEqual(["t@1#3", "s@1#5", "s@2#1"]);
  });

  test("orders a chain of references through several subjects", () => {
    const plan = planVersions([
      v("a", 1, 1, [{ name: "b", subject: "b", version: 1 }]),
      v("b", 1, 2, [{ name: "c", subject: "c", version: 1 }]),
      v("c", 1, 3),
    ]);
    expect(keys(plan.order)).toEqual(["c@1#3", "b@1#2", "a@1#1"]);
  });

  test("refuses a reference cycle with SR_IMPORT_REFERENCE_CYCLE naming its versions", () => {
    let error: unknown;
    try {
      planVersions([
        v("a", 1, 1, [{ name: "b", subject: "b", version: 1 }]),
        v("b", 1, 2, [{ name: "a", subject: "a", version: 1 }]),
        v("c", 1, 3),
      ]);
    } catch (err) {
      error = err;
    }
    expect(isStructregError(error) && error.code).toBe("SR_IMPORT_REFERENCE_CYCLE");
    expect((error as Error).message).toContain("a@1");
    expect((error as Error).message).toContain("b@1");
    expect((error as Error).message).not.toContain("c@1");
  });

  test("lists references to versions the source does not hold instead of failing", () => {
    const plan = planVersions([v("a", 1, 1, [{ name: "x", subject: "elsewhere", version: 4 }])]);
    expect(keys(plan.order)).toEqual(["a@1#1"]);
    expect(plan.missingReferences).toEqual([{ from: "a@1", to: "elsewhere@4" }]);
  });

  test("plans 20,000 versions with references in linear-ish time (a bounded work check, not a timing)", () => {
    const versions: VersionRecord[] = [];
    for (let i = 1; i <= 20_000; i++) {
      const refs = i > 1 ? [{ name: "p", subject: `s${i - 1}`, version: 1 }] : [];
      versions.push(v(`s${i}`, 1, 20_001 - i, refs));
    }
    const plan = planVersions(versions);
    expect(plan.order[0]?.subject).toBe("s1");
    expect(plan.order.at(-1)?.subject).toBe("s20000");
  });
});

describe("--subjects globs", () => {
  test.each([
    ["orders-*", "orders-value", true],
    ["orders-*", "payments-value", false],
    ["*-value", "orders-value", true],
    ["o?ders", "orders", true],
    ["o?ders", "oders", false],
    ["*", "", true],
    ["a*b*c", "aXXbYYc", true],
    ["a*b*c", "aXXbYY", false],
    ["exact", "exact", true],
    ["exact", "exactly", false],
  ])("%s matches %s: %s", (glob, subject, expected) => {
    expect(matchGlob(glob, subject)).toBe(expected);
  });

  test("a comma-separated list matches any of its globs", () => {
    const filter = compileSubjectFilter("orders-*, payments-value");
    expect(["orders-key", "payments-value", "payments-key"].map(filter)).toEqual([true, true, false]);
  });

  test("a pathological glob stays linear (no backtracking blow-up)", () => {
    const glob = `${"*a".repeat(400)}b`;
    expect(matchGlob(glob, "a".repeat(5_000))).toBe(false);
  });

  test.each([
    ["", "an empty pattern"],
    ["a,,b", "an empty pattern"],
    ["orders-[ab]", "brackets"],
    ["{a,b}", "brackets"],
    ["x".repeat(1_001), "longer than"],
  ])("refuses %j with SR_USAGE", (pattern, why) => {
    expect(() => compileSubjectFilter(pattern)).toThrow(why);
    try {
      compileSubjectFilter(pattern);
    } catch (err) {
      expect(isStructregError(err) && err.code).toBe("SR_USAGE");
    }
  });
});
