import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { JsonObject, JsonSchema } from "../../../src/core/json.js";
import { bundleSchema } from "../../../src/core/schema/bundle.js";
import {
  canonicalReferences,
  checkReferenceList,
  DEFAULT_REFERENCE_LIMITS,
  type DocumentLoader,
  loadReferencedDocuments,
  type SchemaReference,
  type StoredDocument,
} from "../../../src/core/schema/references.js";
import { findRemoteRefs } from "../../../src/core/schema/safety.js";
import { compileSchema } from "../../../src/core/validate/ajv.js";

/** A loader over a fixed table `subject@version` → document; counts loads. */
function loaderOf(table: Record<string, StoredDocument>): DocumentLoader & { loads: string[] } {
  const loads: string[] = [];
  const load = async (subject: string, version: number) => {
    loads.push(`${subject}@${version}`);
    return table[`${subject}@${version}`];
  };
  return Object.assign(load, { loads });
}

const ref = (name: string, subject: string, version = 1): SchemaReference => ({ name, subject, version });
const doc = (schema: JsonSchema, references: SchemaReference[] = []): StoredDocument => ({
  schema: JSON.stringify(schema),
  references,
});

async function bundle(root: JsonSchema, refs: SchemaReference[], table: Record<string, StoredDocument>) {
  const documents = await loadReferencedDocuments(refs, loaderOf(table));
  return bundleSchema(root, refs, documents) as JsonObject;
}

const AMOUNT = { type: "object", properties: { v: { type: "number" } }, required: ["v"] };
const MONEY = { $defs: { Amount: AMOUNT }, $ref: "#/$defs/Amount" };

describe("bundleSchema", () => {
  test("returns the schema itself without references", () => {
    const root = { type: "string" };
    expect(bundleSchema(root, [], new Map())).toBe(root);
  });

  test.each([
    ["the whole document", "money.json", "#/$defs/money_v1"],
    ["a fragment into it", "money.json#/$defs/Amount", "#/$defs/money_v1/$defs/Amount"],
    ["an empty fragment", "money.json#", "#/$defs/money_v1"],
    ["a plain-name anchor", "money.json#amount", "#amount"],
  ])("rewrites a $ref naming %s", async (_what, target, rewritten) => {
    const money = { ...MONEY, $defs: { Amount: { ...AMOUNT, $anchor: "amount" } } };
    const bundled = await bundle({ properties: { a: { $ref: target } } }, [ref("money.json", "money")], {
      "money@1": doc(money),
    });
    expect((bundled.properties as JsonObject).a).toEqual({ $ref: rewritten });
    // The inlined document's own local $ref moves with it.
    expect((bundled.$defs as JsonObject).money_v1).toMatchObject({ $ref: "#/$defs/money_v1/$defs/Amount" });
    expect(() => compileSchema(bundled)).not.toThrow();
  });

  test("matches a URL-like name, also relative to the root's $id, and drops inlined $id and $schema", async () => {
    const money = { $id: "https://example.com/schemas/money.json", $schema: "x", ...MONEY };
    const root = {
      $id: "https://example.com/schemas/invoice.json",
      properties: {
        a: { $ref: "https://example.com/schemas/money.json" },
        b: { $ref: "money.json#/$defs/Amount" },
      },
    };
    const refs = [ref("https://example.com/schemas/money.json", "money")];
    const bundled = await bundle(root, refs, { "money@1": doc(money) });
    expect(bundled.properties).toEqual({
      a: { $ref: "#/$defs/money_v1" },
      b: { $ref: "#/$defs/money_v1/$defs/Amount" },
    });
    expect((bundled.$defs as JsonObject).money_v1).not.toHaveProperty("$id");
    expect((bundled.$defs as JsonObject).money_v1).not.toHaveProperty("$schema");
    expect(findRemoteRefs(bundled)).toEqual([]);
  });

  test("nested references: each document's names are its own", async () => {
    // money@1 is known as "m" to the root and as "currency.json" is a reference of money itself.
    const table = {
      "money@1": doc({ properties: { c: { $ref: "currency.json" } } }, [ref("currency.json", "currency")]),
      "currency@1": doc({ enum: ["EUR", "USD"] }),
    };
    const bundled = await bundle({ properties: { m: { $ref: "m" } } }, [ref("m", "money")], table);
    const defs = bundled.$defs as JsonObject;
    expect(defs.money_v1).toEqual({ properties: { c: { $ref: "#/$defs/currency_v1" } } });
    expect(defs.currency_v1).toEqual({ enum: ["EUR", "USD"] });
  });

  test("a diamond inlines the shared document once and loads it once", async () => {
    const table = {
      "left@1": doc({ $ref: "base" }, [ref("base", "base")]),
      "right@1": doc({ $ref: "base" }, [ref("base", "base")]),
      "base@1": doc({ type: "integer" }),
    };
    const load = loaderOf(table);
    const refs = [ref("l", "left"), ref("r", "right")];
    const documents = await loadReferencedDocuments(refs, load);
    expect(load.loads).toEqual(["left@1", "base@1", "right@1"]);
    const bundled = bundleSchema({ anyOf: [{ $ref: "l" }, { $ref: "r" }] }, refs, documents) as JsonObject;
    expect(Object.keys(bundled.$defs as JsonObject)).toEqual(["left_v1", "base_v1", "right_v1"]);
  });

  test("two versions of one subject get two places; a key the root already uses gets a suffix", async () => {
    const table = { "money@1": doc({ type: "integer" }), "money@2": doc({ type: "number" }) };
    const root = {
      $defs: { money_v1: { type: "string" } },
      properties: { a: { $ref: "#/$defs/money_v1" }, b: { $ref: "old" }, c: { $ref: "new" } },
    };
    const bundled = await bundle(root, [ref("old", "money", 1), ref("new", "money", 2)], table);
    expect(bundled.properties).toEqual({
      a: { $ref: "#/$defs/money_v1" },
      b: { $ref: "#/$defs/money_v1_2" },
      c: { $ref: "#/$defs/money_v2" },
    });
    expect(bundled.$defs).toEqual({
      money_v1: { type: "string" },
      money_v1_2: { type: "integer" },
      money_v2: { type: "number" },
    });
  });

  test("data that looks like a $ref (enum, const, default, a property named $ref) is left alone", async () => {
    const root = {
      properties: {
        $ref: { const: { $ref: "money.json" } },
        b: { enum: ["money.json"], default: "money.json" },
      },
    };
    const bundled = await bundle(root, [ref("money.json", "money")], { "money@1": doc(MONEY) });
    expect(bundled.properties).toEqual(root.properties);
  });

  test.each([
    ["a fragment naming nothing", { $ref: "money.json#/$defs/Nope" }, MONEY],
    ["a $id below the root", { $ref: "money.json" }, { $defs: { A: { $id: "a.json" } } }],
  ])("refuses %s with SR_INVALID_REFERENCE", async (_what, root, money) => {
    await expect(bundle(root, [ref("money.json", "money")], { "money@1": doc(money) })).rejects.toMatchObject(
      {
        code: "SR_INVALID_REFERENCE",
      },
    );
  });

  test("a $ref naming nothing listed is left for the remote-$ref check", async () => {
    const bundled = await bundle({ $ref: "other.json" }, [ref("money.json", "money")], {
      "money@1": doc(MONEY),
    });
    expect(findRemoteRefs(bundled)).toEqual([{ path: "/$ref", ref: "other.json" }]);
  });

  test("any graph of documents bundles into one document ajv compiles, with no $ref outside it", async () => {
    // Document i references a subset of documents j < i (a DAG), each through a fragment into its $defs.
    const graph = fc.integer({ min: 1, max: 7 }).chain((n) =>
      fc.tuple(
        fc.tuple(...Array.from({ length: n }, (_, i) => fc.subarray(Array.from({ length: i }, (_, j) => j)))),
        fc.subarray(
          Array.from({ length: n }, (_, j) => j),
          { minLength: 1 },
        ),
      ),
    );
    await fc.assert(
      fc.asyncProperty(graph, async ([edges, rootEdges]) => {
        const docOf = (targets: number[], own: string): JsonObject => ({
          $defs: {
            T: {
              type: "object",
              properties: Object.fromEntries([
                [own, { type: "integer" }],
                ...targets.map((j) => [`d${j}`, { $ref: `d${j}.json#/$defs/T` }]),
              ]),
            },
          },
          $ref: "#/$defs/T",
        });
        const refsOf = (targets: number[]) => targets.map((j) => ref(`d${j}.json`, `d${j}`));
        const table = Object.fromEntries(edges.map((t, i) => [`d${i}@1`, doc(docOf(t, `v${i}`), refsOf(t))]));
        const root = docOf(rootEdges, "root");
        const bundled = await bundle(root, refsOf(rootEdges), table);
        expect(findRemoteRefs(bundled)).toEqual([]);
        const validate = compileSchema(bundled);
        expect(validate({ root: 1 })).toBe(true);
        expect(validate({ root: "x" })).toBe(false);
      }),
      { numRuns: 60 },
    );
  });
});

describe("loadReferencedDocuments", () => {
  test("refuses a missing version, a cycle and every limit with its typed code", async () => {
    const cyclic = {
      "a@1": doc({}, [ref("b", "b")]),
      "b@1": doc({}, [ref("a", "a")]),
    };
    await expect(loadReferencedDocuments([ref("x", "nope")], loaderOf({}))).rejects.toMatchObject({
      code: "SR_REFERENCE_NOT_FOUND",
    });
    await expect(loadReferencedDocuments([ref("a", "a")], loaderOf(cyclic))).rejects.toMatchObject({
      code: "SR_REFERENCE_CYCLE",
      details: { cycle: ["a@1", "b@1", "a@1"] },
    });
    const chain = Object.fromEntries(
      Array.from({ length: 30 }, (_, i) => [
        `c${i}@1`,
        doc({ type: "string" }, i < 29 ? [ref("n", `c${i + 1}`)] : []),
      ]),
    );
    const limits = { ...DEFAULT_REFERENCE_LIMITS };
    await expect(loadReferencedDocuments([ref("n", "c0")], loaderOf(chain), limits)).rejects.toMatchObject({
      code: "SR_REFERENCES_TOO_LARGE",
    });
    const wide = [ref("a", "c28"), ref("b", "c29")];
    await expect(
      loadReferencedDocuments(wide, loaderOf(chain), { ...limits, maxDocuments: 1 }),
    ).rejects.toMatchObject({ code: "SR_REFERENCES_TOO_LARGE" });
    await expect(
      loadReferencedDocuments(wide, loaderOf(chain), { ...limits, maxBytes: 20 }),
    ).rejects.toMatchObject({ code: "SR_REFERENCES_TOO_LARGE" });
    expect((await loadReferencedDocuments(wide, loaderOf(chain), limits)).size).toBe(2);
  });
});

describe("reference lists", () => {
  test.each([
    [[ref("", "a")], "name"],
    [[ref("a", "a"), ref("a", "b")], "listed twice"],
    [[ref("a", "bad name")], "subject"],
    [[ref("a", "a", 0)], "version"],
    [[ref("a", "a", 1.5)], "version"],
  ])("refuses %j (%s)", (refs, what) => {
    expect(() => checkReferenceList(refs, DEFAULT_REFERENCE_LIMITS)).toThrow(what);
  });

  test("identity ignores the order of references and is empty without them", () => {
    expect(canonicalReferences([])).toBe("");
    expect(canonicalReferences([ref("b", "x"), ref("a", "y")])).toBe(
      canonicalReferences([ref("a", "y"), ref("b", "x")]),
    );
  });
});
