/**
 * Every walk over a schema that follows `$ref`s expands each target once (issue #9: a 40-node `$defs`
 * chain whose nodes reference the next one twice froze the first validate). Visits are counted through
 * the budget's hook and its work counter, never timed.
 */
import { describe, expect, test } from "vitest";
import { exitCodeFor } from "../../src/cli/exit-codes.js";
import { compareSchemas } from "../../src/core/compat/compare.js";
import { diffSchemas } from "../../src/core/compat/diff.js";
import { allowedChanges } from "../../src/core/compat/kinds.js";
import { ERROR_CODES, StructregError } from "../../src/core/errors.js";
import type { JsonObject } from "../../src/core/json.js";
import { compileCoercePlan } from "../../src/core/parse/coerce-plan.js";
import { schemaDepthBound } from "../../src/core/parse/depth.js";
import { checksStringsInline } from "../../src/core/parse/free-text.js";
import { createParser } from "../../src/core/parse/pipeline.js";
import { lintSchema } from "../../src/core/schema/lint.js";
import { toProviderSchema } from "../../src/core/schema/provider-form.js";
import { WorkBudget } from "../../src/core/work-budget.js";
import { chainNodes, refChain } from "../fixtures/ref-chains.js";

const STRICT = allowedChanges("STRICT");

/** A budget that counts expansions per node (or per pair of nodes, for the diff). */
function countingBudget(limit?: number) {
  const expansions = new Map<object, number>();
  const pairs = new Map<object, Map<object, number>>();
  const budget = new WorkBudget("test walk", {
    ...(limit === undefined ? {} : { limit }),
    onExpand: (node, other) => {
      if (other === undefined) {
        expansions.set(node, (expansions.get(node) ?? 0) + 1);
        return;
      }
      const row = pairs.get(node) ?? new Map<object, number>();
      row.set(other, (row.get(other) ?? 0) + 1);
      pairs.set(node, row);
    },
  });
  const pairCounts = () => [...pairs.values()].flatMap((row) => [...row.values()]);
  return { budget, expansions, pairCounts };
}

function expectEachExpandedOnce(expansions: Map<object, number>, targets: Set<object>): void {
  for (const target of targets) expect(expansions.get(target)).toBe(1);
  expect(Math.max(...expansions.values())).toBe(1);
}

describe.each([40, 1000])("a %i-node double-reference chain", (nodes) => {
  const schema = refChain(nodes);

  test("schemaDepthBound expands each $defs node once and answers the exact bound", () => {
    const { budget, expansions } = countingBudget();
    expect(schemaDepthBound(schema, budget)).toBe(nodes);
    expectEachExpandedOnce(expansions, chainNodes(schema));
    // Linear: one unit per reference followed plus one per node expanded.
    expect(budget.used).toBeLessThanOrEqual(4 * nodes + 4);
  });

  test("the coercion plan compiles each $defs node once (a shared plan)", () => {
    const { budget, expansions } = countingBudget();
    const plan = compileCoercePlan(schema, nodes + 1, budget);
    expect(plan).toBeDefined();
    expectEachExpandedOnce(expansions, chainNodes(schema));
    expect(budget.used).toBeLessThanOrEqual(4 * nodes + 4);
  });

  test("the coercion plan still leaves a chain deeper than maxDepth to the generic pass", () => {
    expect(compileCoercePlan(schema, nodes - 1)).toBeUndefined();
    expect(compileCoercePlan(schema, nodes)).toBeDefined();
  });

  test("compareSchemas answers or refuses with a typed error", () => {
    // The diff recurses along the chain, so near 1000 nodes the stack may end it (ajv cannot compile
    // such a chain either: registration refuses it as too deep); a typed refusal is a correct answer.
    let answer: unknown;
    try {
      answer = compareSchemas(schema, structuredClone(schema));
    } catch (err) {
      answer = err;
    }
    if (answer instanceof StructregError) expect(answer.code).toBe("SR_SCHEMA_TOO_DEEP");
    else expect(answer).toMatchObject({ backward: true, forward: true });
    if (nodes <= 100) expect(answer).toMatchObject({ backward: true });
  });

  test("lint and the provider form answer (they walk the document, never a $ref)", () => {
    expect(lintSchema(schema, "openai-strict")).toEqual([]);
    expect(toProviderSchema(schema)).toEqual(schema);
  });
});

describe.each([40, 150])("the compatibility diff of a %i-node chain", (nodes) => {
  test("compares each pair of nodes once", () => {
    const schema = refChain(nodes);
    const { budget, pairCounts } = countingBudget();
    expect(diffSchemas(schema, structuredClone(schema), STRICT, budget)).toEqual([]);
    const counts = pairCounts();
    expect(Math.max(...counts)).toBe(1);
    expect(counts.length).toBeLessThanOrEqual(4 * nodes + 4);
    expect(budget.used).toBeLessThanOrEqual(8 * nodes + 8);
  });
});

describe("a chain with cycles", () => {
  const schema = refChain(40, { cyclic: true, nullable: true });

  test("schemaDepthBound expands each node once and answers unbounded", () => {
    const { budget, expansions } = countingBudget();
    expect(schemaDepthBound(schema, budget)).toBe(Number.POSITIVE_INFINITY);
    expectEachExpandedOnce(expansions, chainNodes(schema));
  });

  test("the coercion plan leaves recursion to the generic pass", () => {
    expect(compileCoercePlan(schema, 64)).toBeUndefined();
  });

  test("the compatibility diff terminates, each pair compared at most once per pass", () => {
    const { budget, pairCounts } = countingBudget();
    expect(diffSchemas(schema, structuredClone(schema), STRICT, budget)).toEqual([]);
    expect(Math.max(...pairCounts())).toBe(1);
    expect(budget.used).toBeLessThanOrEqual(40 * 40);
  });

  test("a change under every cycle's 2^39 paths is refused in bounded work", () => {
    const changed = refChain(40, { cyclic: true, nullable: true });
    (changed.$defs as Record<string, JsonObject>).n39!.description = "last";
    expect(() => compareSchemas(schema, changed, { maxWork: 20_000 })).toThrow(
      expect.objectContaining({ code: "SR_SCHEMA_TOO_COMPLEX" }),
    );
    // Under a short cycle the same change is answered: only DESCRIPTION_CHANGED, compatible.
    const short = refChain(4, { cyclic: true, nullable: true });
    const shortChanged = structuredClone(short);
    (shortChanged.$defs as Record<string, JsonObject>).n3!.description = "last";
    const comparison = compareSchemas(short, shortChanged);
    expect(comparison.backward).toBe(true);
    expect(new Set(comparison.differences.backward.map((d) => d.kind))).toEqual(
      new Set(["DESCRIPTION_CHANGED"]),
    );
  });
});

describe("free-text counting", () => {
  test("counts a subschema shared in memory once per place, expanding it once", () => {
    // Not JSON (JSON has no sharing), but a library caller can build such an object.
    let node: JsonObject = { type: "string", enum: ["x"] };
    for (let i = 0; i < 40; i++) {
      node = { type: "object", properties: { a: node, b: node }, additionalProperties: false };
    }
    const { budget } = countingBudget();
    expect(checksStringsInline(node, budget)).toBe(true);
    expect(budget.used).toBeLessThanOrEqual(4 * 40 + 4);
  });

  test("past its budget the answer is the safe one (screen the text)", () => {
    const schema = {
      type: "object",
      properties: { a: { type: "string" } },
      additionalProperties: false,
    };
    expect(checksStringsInline(schema)).toBe(true);
    expect(checksStringsInline(schema, 1)).toBe(false);
  });
});

describe("the work limit", () => {
  test("a diff whose differences repeat under 2^40 paths is refused with SR_SCHEMA_TOO_COMPLEX", () => {
    const changed = refChain(40, { leafType: "integer" });
    let caught: unknown;
    try {
      compareSchemas(refChain(40), changed, { maxWork: 50_000 });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(StructregError);
    const err = caught as StructregError;
    expect(err.code).toBe("SR_SCHEMA_TOO_COMPLEX");
    expect(err.message).toContain("compatibility diff passed its work limit of 50000");
    expect(err.hint).toContain("STRUCTREG_MAX_SCHEMA_BYTES");
    expect(err.status).toBe(422);
    expect(err.errorCode).toBe(42201);
    expect(exitCodeFor("SR_SCHEMA_TOO_COMPLEX")).toBe(1);
    // Appended after the codes that existed before it (codes are never reordered).
    const codes = Object.keys(ERROR_CODES);
    expect(codes.indexOf("SR_SCHEMA_TOO_COMPLEX")).toBeGreaterThan(codes.indexOf("SR_IDEMPOTENCY_CONFLICT"));
  });

  test("a pair whose differences pass limit / 16 is refused before the budget is spent", () => {
    const budget = new WorkBudget("compatibility diff", { limit: 100_000 });
    expect(() => diffSchemas(refChain(40), refChain(40, { leafType: "integer" }), STRICT, budget)).toThrow(
      expect.objectContaining({ code: "SR_SCHEMA_TOO_COMPLEX" }),
    );
    expect(budget.used).toBeLessThan(100_000);
    // 2^12 = 4096 paths stay under 100,000 / 16 = 6250 differences: answered.
    const answered = diffSchemas(refChain(13), refChain(13, { leafType: "integer" }), STRICT, 100_000);
    expect(answered).toHaveLength(4096);
  });

  test("the same change under a short chain is answered, every path listed", () => {
    const comparison = compareSchemas(refChain(8), refChain(8, { leafType: "integer" }));
    expect(comparison.backward).toBe(false);
    // 2^7 paths from n0 to the leaf.
    expect(comparison.differences.backward).toHaveLength(128);
    expect(new Set(comparison.differences.backward.map((d) => d.path)).size).toBe(128);
  });

  test("validate-time walks past their budget take the safe path instead of failing", () => {
    const schema = refChain(40, { nullable: true });
    const { budget } = countingBudget(5);
    expect(schemaDepthBound(schema, budget)).toBe(Number.POSITIVE_INFINITY);
    expect(budget.used).toBeGreaterThan(5);
    expect(compileCoercePlan(schema, 64, 5)).toBeUndefined();
    // A parser with a tiny limit still answers correctly: depth measured, generic coercion.
    const parser = createParser(schema, { maxSchemaWork: 5 });
    expect(parser.parse('{"root":{"a":null,"b":null}}')).toMatchObject({ ok: true, track: "strict" });
    expect(parser.parse({ root: { a: null, b: null, extra: 1 } })).toMatchObject({
      ok: true,
      track: "tolerant",
      data: { root: { a: null, b: null } },
    });
  });
});
