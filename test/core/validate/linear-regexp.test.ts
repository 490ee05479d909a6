import { createRequire } from "node:module";
import { Ajv2020 } from "ajv/dist/2020.js";
import standaloneModule from "ajv/dist/standalone/index.js";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { compileSchema, createAjv } from "../../../src/core/validate/ajv.js";
import {
  compileLinearPattern,
  linearRegExpEngine,
  testPattern,
} from "../../../src/core/validate/linear-regexp.js";

const standaloneCode = standaloneModule as unknown as (ajv: Ajv2020, validate: unknown) => string;
const native = (pattern: string, input: string) => new RegExp(pattern, "u").test(input);

describe("RE2 matches as ECMAScript's u-flag RegExp does", () => {
  // Each row is a place where the two dialects differ unless structreg translates the pattern.
  test.each([
    ["^.$", ["\r", "\n", "\u2028", "\u2029", "a", "😀", "\uD800"]],
    ["^\\s$", ["\u00a0", "\v", "\ufeff", "\u3000", " ", "a"]],
    ["^\\S+$", ["\u00a0", "ab", "😀"]],
    ["^[\\s\\d]+$", ["1 2\u3000", "a"]],
    ["^[^\\S]$", [" ", "\u2028", "a"]],
    ["^[^]$", ["a", "\n"]],
    ["^[]$|b", ["", "a", "b"]],
    ["^\\u0041\\u{1F600}\\uD83D\\uDE00$", ["A😀😀", "A😀"]],
    ["^\\p{Letter}+$", ["héllo", "h1"]],
    ["^\\p{Script=Greek}+$", ["αβ", "ab"]],
    ["^\\p{gc=Lu}\\P{L}$", ["A1", "Aa"]],
    ["^[\\p{ASCII}]+$", ["abc", "é"]],
    ["^\\P{ASCII}$", ["é", "a"]],
    ["^\\cJ[\\b]\\0\\x41$", ["\n\b\0A"]],
    ["^[[a]+$", ["[a[", "a]"]],
    ["^(?<word>\\w+)-(\\d)$", ["ab-1", "ab-x"]],
    ["^[a-c-e]$", ["-", "b", "d"]],
    ["^\\w\\b\\d$", ["a1", "é1"]],
    ["^a$", ["a\n", "a"]],
  ] as const)("%s", (pattern, inputs) => {
    for (const input of inputs)
      expect(testPattern(pattern, input), JSON.stringify(input)).toBe(native(pattern, input));
  });

  test("agrees with RegExp on generated patterns and inputs (property test)", () => {
    const atom = fc.constantFrom(
      "a",
      "b",
      "\\d",
      "\\w",
      "\\s",
      ".",
      "[a-c]",
      "[^b]",
      "\\.",
      "-",
      "é",
      "\\p{L}",
    );
    const quantifier = fc.constantFrom("", "", "*", "+", "?", "{1,3}", "*?");
    const piece = fc.tuple(atom, quantifier).map(([a, q]) => a + q);
    const seq = fc.array(piece, { minLength: 1, maxLength: 4 }).map((p) => p.join(""));
    // Grouped or top-level alternatives, anchored or not: `^…$` without a top-level `|` is matched exactly.
    const pattern = fc
      .tuple(fc.boolean(), fc.array(seq, { minLength: 1, maxLength: 3 }), fc.boolean(), fc.boolean())
      .map(([start, alts, end, group]) => {
        const body = group ? `(?:${alts.join("|")})` : alts.join("|");
        return `${start ? "^" : ""}${body}${end ? "$" : ""}`;
      });
    const input = fc.string({
      unit: fc.constantFrom("a", "b", "c", "1", " ", ".", "-", "é", "\n", "\u00a0", "_"),
    });
    fc.assert(
      fc.property(pattern, input, (p, s) => testPattern(p, s) === native(p, s)),
      { numRuns: 300 },
    );
  });
});

describe("patterns RE2 cannot run are refused with a reason", () => {
  test.each([
    ["(a)\\1", "backreference"],
    ["(?<x>a)\\k<x>", "backreference"],
    ["a(?=b)", "lookahead"],
    ["a(?!b)", "lookahead"],
    ["(?<=a)b", "lookbehind"],
    ["\\p{Emoji}", "Unicode property"],
    ["\\p{scx=Grek}", "Unicode property"],
    ["\\p{sc=Grek}", "RE2 cannot run it"],
    ["a{1001}", "repeat count"],
    ["(?:a{100}){100}", "repeat count"],
  ])("%s (%s)", (pattern, reason) => {
    const compiled = compileLinearPattern(pattern);
    expect(compiled).toMatchObject({ ok: false, invalid: false });
    expect(compiled.ok ? "" : compiled.reason).toContain(reason);
    expect(testPattern(pattern, "ab")).toBe(false);
  });

  test("an invalid u-flag RegExp is reported as invalid", () => {
    expect(compileLinearPattern("(")).toMatchObject({ ok: false, invalid: true });
    expect(compileLinearPattern("\\p{NotAProperty}")).toMatchObject({ ok: false, invalid: true });
  });
});

describe("linear time", () => {
  // Each of these takes the backtracking RegExp longer than the test's timeout (exponential in the input).
  test.each(["^(?:\\w|[a-z_]|[^-]|.)*-$", "^(a+)+$", "^(\\w+\\s?)*$", "(x+x+)+y"])(
    "%s answers promptly on a 30 KB adversarial string",
    (pattern) => {
      const adversarial = `${"a".repeat(30_000)}!`;
      expect(testPattern(pattern, adversarial)).toBe(false);
    },
  );
});

describe("ajv's regExp engine", () => {
  const schema = {
    type: "object",
    properties: { zip: { type: "string", pattern: "^\\d{5}(-\\d{4})?$" } },
    patternProperties: { "^x-\\p{L}+$": { type: "integer" } },
  };

  test("compiled validators check pattern and patternProperties with it", () => {
    const validate = compileSchema(schema);
    expect(validate({ zip: "12345-6789", "x-é": 1 })).toBe(true);
    expect(validate({ zip: "1234" })).toBe(false);
    expect(validate({ "x-é": "one" })).toBe(false);
  });

  test("a schema without patterns compiles to the same code as with ajv's own engine (the hot path)", () => {
    const plain = {
      type: "object",
      properties: { a: { type: "string" }, n: { type: "integer" } },
      required: ["a"],
    };
    const ours = createAjv(plain);
    const { code: _code, ...options } = ours.opts;
    const theirs = new Ajv2020({ ...options, code: { optimize: ours.opts.code.optimize } });
    expect(ours.compile(plain).toString()).toBe(theirs.compile(plain).toString());
  });

  test("keeps the patterns of one schema apart (ajv keys them by toString)", () => {
    const validate = compileSchema({
      type: "object",
      properties: { a: { type: "string", pattern: "^a$" }, b: { type: "string", pattern: "^b$" } },
    });
    expect(validate({ a: "a", b: "b" })).toBe(true);
    expect(validate({ a: "a", b: "a" })).toBe(false);
  });

  test("anchored patterns: empty, escaped and alternated anchors", () => {
    for (const [pattern, input] of [
      ["^$", ""],
      ["^$", "a"],
      ["^a\\$", "a$"],
      ["^a|b$", "bx"],
      ["^a|b$", "xb"],
      ["^(?:a|b)$", "ab"],
      ["^a$b$", "ab"],
    ] as const) {
      expect(testPattern(pattern, input), `${pattern} ${input}`).toBe(native(pattern, input));
    }
  });

  test("a schema whose pattern RE2 cannot run does not compile", () => {
    expect(() => compileSchema({ type: "string", pattern: "a(?=b)" })).toThrow(/cannot run in linear time/);
  });

  test("standalone code loads the engine by its code and validates the same way", () => {
    const ajv = new Ajv2020({ code: { source: true, regExp: linearRegExpEngine }, strict: false });
    const code = standaloneCode(ajv, ajv.compile(schema));
    expect(code).toContain(linearRegExpEngine.code);
    const nodeRequire = createRequire(import.meta.url);
    const module = { exports: {} as unknown };
    const load = new Function("require", "module", "exports", code);
    const require = (id: string) => (id === "structreg" ? { linearRegExpEngine } : nodeRequire(id));
    load(require, module, module.exports);
    const validate = module.exports as (data: unknown) => boolean;
    expect(validate({ zip: "12345", "x-a": 2 })).toBe(true);
    expect(validate({ zip: "x" })).toBe(false);
  });
});
