import { describe, expect, test } from "vitest";
import { isStructregError } from "../../../src/core/errors.js";
import type { JsonSchema } from "../../../src/core/json.js";
import { createParser, DEFAULT_MAX_BYTES, parseOutput } from "../../../src/core/parse/pipeline.js";

const schema: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["status", "count", "note"],
  properties: {
    status: { type: "string", enum: ["active", "closed"] },
    count: { type: "integer" },
    note: { type: ["string", "null"] },
  },
};
const valid = { status: "active", count: 2, note: null };
const parser = createParser(schema);

describe("strict track", () => {
  test("accepts valid text with no repairs", () => {
    expect(parser.parse(JSON.stringify(valid))).toEqual({
      ok: true,
      data: valid,
      repairs: [],
      track: "strict",
    });
  });

  test("validates an already-parsed value without parsing", () => {
    expect(parser.parse(valid)).toEqual({ ok: true, data: valid, repairs: [], track: "strict" });
  });

  test("is all there is when the tolerant track is off", () => {
    const strictOnly = createParser(schema, { tolerant: false });
    expect(strictOnly.parse(`\`\`\`json\n${JSON.stringify(valid)}\n\`\`\``)).toMatchObject({
      ok: false,
      reason: "invalid",
      issues: [{ code: "invalid_json" }],
      repairs: [],
    });
    expect(strictOnly.parse({ ...valid, status: "ACTIVE" })).toMatchObject({
      ok: false,
      issues: [{ code: "invalid_enum", path: "/status" }],
    });
    expect(strictOnly.parse("I'm sorry, I can't do that.")).toMatchObject({ ok: false, reason: "refusal" });
  });

  test("exposes the schema it was built for", () => {
    expect(parser.schema).toBe(schema);
  });

  test("refuses a schema that does not compile with SR_INVALID_SCHEMA", () => {
    let caught: unknown;
    try {
      createParser({ type: "object", properties: { a: { type: "no-such-type" } } });
    } catch (err) {
      caught = err;
    }
    expect(isStructregError(caught) && caught.code).toBe("SR_INVALID_SCHEMA");
  });
});

describe("tolerant track", () => {
  test("coerces an already-parsed value", () => {
    expect(parser.parse({ ...valid, status: "Active" })).toMatchObject({
      ok: true,
      track: "tolerant",
      data: valid,
      repairs: [{ kind: "enum_case", path: "/status" }],
    });
  });

  test("reports failures against the output as the model wrote it, with the repairs that were tried", () => {
    const result = parser.parse('{"status": "ACTIVE", "count": "about 3", "note": null}');
    expect(result).toMatchObject({ ok: false, reason: "invalid" });
    if (result.ok) return;
    expect(result.issues.map((i) => [i.code, i.path])).toEqual([
      ["invalid_enum", "/status"],
      ["invalid_type", "/count"],
    ]);
    expect(result.repairs).toEqual([{ kind: "enum_case", path: "/status", from: "ACTIVE", to: "active" }]);
  });

  test("does not fill a nullable property lost to truncation", () => {
    expect(parser.parse('{"status": "active", "count": 2 ')).toMatchObject({
      ok: false,
      issues: [{ code: "missing_property", path: "/note" }],
      repairs: [{ kind: "closed_truncation" }],
    });
  });

  test("decodes a double-encoded object at most twice", () => {
    const once = JSON.stringify(JSON.stringify(valid));
    expect(parser.parse(once)).toMatchObject({ ok: true, repairs: [{ kind: "decoded_string" }] });
    expect(parser.parse(JSON.stringify(JSON.stringify(once))).ok).toBe(false);
  });

  test("parseOutput is the one-shot form", () => {
    expect(parseOutput(schema, "```\n{'status': 'closed', 'count': 1, 'note': 'x'}\n```")).toMatchObject({
      ok: true,
      data: { status: "closed", count: 1, note: "x" },
    });
  });
});

describe("model outcomes", () => {
  const body = (over: Record<string, unknown>) => ({
    object: "response",
    status: "completed",
    output: [
      { type: "message", role: "assistant", content: [{ type: "output_text", text: JSON.stringify(valid) }] },
    ],
    ...over,
  });

  test("parses a whole Responses API response object", () => {
    expect(parser.parse(body({}))).toMatchObject({ ok: true, track: "strict", data: valid });
  });

  test("reports a refusal as a refusal, not a parse error", () => {
    const refused = body({
      output: [{ type: "message", content: [{ type: "refusal", refusal: "I can't assist with that." }] }],
    });
    expect(parser.parse(refused)).toMatchObject({
      ok: false,
      reason: "refusal",
      issues: [{ code: "refusal", refusal: "I can't assist with that." }],
    });
  });

  test("reports an incomplete response with its reason", () => {
    const cut = body({ status: "incomplete", incomplete_details: { reason: "max_output_tokens" } });
    expect(parser.parse(cut)).toMatchObject({
      ok: false,
      reason: "incomplete",
      issues: [{ code: "incomplete", reason: "max_output_tokens" }],
    });
  });

  test("reports a failed response", () => {
    expect(parser.parse(body({ status: "failed", error: { code: "server_error" } }))).toMatchObject({
      ok: false,
      reason: "failed",
      issues: [{ code: "response_failed", error: { code: "server_error" } }],
    });
  });

  test("parses normalised output directly", () => {
    expect(parser.parseModelOutput({ kind: "text", text: JSON.stringify(valid) }).ok).toBe(true);
  });
});

describe("numbers that JSON cannot carry exactly", () => {
  test.each([
    { name: "an integer beyond 2^53", text: '{"status":"active","count":9007199254740993,"note":null}' },
    { name: "a negative integer beyond 2^53", text: '{"status":"active","count":-1e17,"note":null}' },
    { name: "an integer that overflows to Infinity", text: '{"status":"active","count":1e400,"note":null}' },
  ])("fails $name with unsafe_number", ({ text }) => {
    expect(parser.parse(text)).toMatchObject({
      ok: false,
      issues: [{ code: "unsafe_number", path: "/count" }],
    });
  });

  test("fails an infinite number field", () => {
    const p = createParser({ type: "object", properties: { x: { type: "number" } } });
    expect(p.parse('{"x": -1e999}')).toMatchObject({
      ok: false,
      issues: [{ code: "unsafe_number", value: "-Infinity" }],
    });
  });

  test("accepts the largest safe integer", () => {
    expect(parser.parse('{"status":"active","count":9007199254740991,"note":null}').ok).toBe(true);
  });

  test("keeps a tighter maximum of the schema", () => {
    const p = createParser({ type: "object", properties: { n: { type: "integer", maximum: 10 } } });
    expect(p.parse('{"n": 11}')).toMatchObject({
      ok: false,
      issues: [{ code: "out_of_range", keyword: "maximum" }],
    });
  });
});

describe("hostile output", () => {
  const open = createParser({ type: "object" });
  const recursive = createParser({
    type: "object",
    properties: { child: { $ref: "#" }, kind: { enum: ["a", "b"] } },
  });

  test("rejects text over the size limit before parsing it", () => {
    const huge = `{"note": "${"x".repeat(10_000_000)}"}`;
    expect(parser.parse(huge)).toMatchObject({
      ok: false,
      reason: "too_large",
      issues: [{ limit: DEFAULT_MAX_BYTES }],
    });
  });

  test("handles 10 MB of prose in bounded time when the limit allows it", () => {
    const big = createParser(schema, { maxBytes: 20_000_000 });
    expect(big.parse("All good here. ".repeat(700_000))).toMatchObject({ ok: false, reason: "no_json" });
    expect(big.parse(`Result: {"note": "${"y".repeat(10_000_000)}`)).toMatchObject({
      ok: false,
      reason: "invalid",
    });
  });

  test.each([
    { name: "100,000 nested arrays", text: `${"[".repeat(100_000)}${"]".repeat(100_000)}` },
    { name: "100,000 nested objects", text: `${'{"child":'.repeat(100_000)}{}${"}".repeat(100_000)}` },
    { name: "100,000 unclosed objects in prose", text: `Here: ${'{"child":'.repeat(100_000)}` },
    { name: "100,000 single-quoted objects", text: `${"{'child':".repeat(100_000)}{}${"}".repeat(100_000)}` },
  ])("fails $name with a typed outcome", ({ text }) => {
    for (const p of [parser, open, recursive]) {
      const result = p.parse(text);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(["too_deep", "invalid"]).toContain(result.reason);
    }
  });

  test("fails deep nesting under a recursive schema with too_deep", () => {
    expect(recursive.parse(`${'{"child":'.repeat(100_000)}{}${"}".repeat(100_000)}`)).toMatchObject({
      ok: false,
      reason: "too_deep",
    });
    let deep: Record<string, unknown> = { kind: "A" };
    for (let i = 0; i < 100_000; i++) deep = { child: deep };
    expect(recursive.parse(deep)).toMatchObject({ ok: false, reason: "too_deep" });
  });

  test("never pollutes prototypes", () => {
    const texts = [
      '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}',
      "{'__proto__': {'polluted': true}, constructor: {prototype: {polluted: true}},}",
      '```\n{"status": "active", "count": 1, "note": null, "__proto__": {"polluted": true}}\n```',
    ];
    for (const text of texts) {
      for (const p of [parser, open, recursive]) {
        const result = p.parse(text);
        if (result.ok) expect(Object.getPrototypeOf(result.data)).toBe(Object.prototype);
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
  });

  test("keeps __proto__ as an own data key where the schema allows it", () => {
    const result = open.parse('{"__proto__": {"polluted": true}}');
    expect(result.ok && Object.hasOwn(result.data as object, "__proto__")).toBe(true);
  });

  test.each([
    {
      name: "an escaped lone high surrogate",
      text: '{"status":"active","count":1,"note":"\\ud800"}',
      path: "/note",
    },
    {
      name: "an escaped lone low surrogate",
      text: '{"status":"active","count":1,"note":"a\\udc00b"}',
      path: "/note",
    },
    { name: "a raw lone surrogate", text: '{"status":"active","count":1,"note":"\ud800"}', path: "/note" },
    { name: "a lone surrogate in a key", text: '{"\\ud800": 1}', path: "/\ud800" },
  ])("fails $name with invalid_unicode", ({ text, path }) => {
    const p = path === "/note" ? parser : open;
    expect(p.parse(text)).toMatchObject({
      ok: false,
      reason: "invalid",
      issues: [{ code: "invalid_unicode", path }],
    });
  });

  test("fails a lone surrogate in an already-parsed value where the validator checks free text", () => {
    expect(parser.parse({ status: "active", count: 1, note: "x\ud800" })).toMatchObject({
      ok: false,
      reason: "invalid",
      issues: [{ code: "invalid_unicode", path: "/note" }],
    });
  });

  test("fails a lone surrogate where the text is screened instead (free text inside an array)", () => {
    const listed = createParser({
      type: "object",
      additionalProperties: false,
      required: ["notes"],
      properties: { notes: { type: "array", items: { type: "string" } } },
    });
    expect(listed.parse('{"notes":["ok","\\\\ud800 is fine as text"]}')).toMatchObject({ ok: true });
    for (const text of ['{"notes":["ok","\\ud800"]}', '{"notes":["ok","\ud800"]}']) {
      expect(listed.parse(text)).toMatchObject({
        ok: false,
        issues: [{ code: "invalid_unicode", path: "/notes/1" }],
      });
    }
    // An already-parsed value has no text to screen: it is walked.
    expect(listed.parse({ notes: ["ok", "\udc00"] })).toMatchObject({
      ok: false,
      issues: [{ code: "invalid_unicode", path: "/notes/1" }],
    });
    expect(open.parse({ "\ud800": 1 })).toMatchObject({
      ok: false,
      issues: [{ code: "invalid_unicode", path: "/\ud800" }],
    });
    expect(listed.parse({ notes: ["😀"] })).toMatchObject({ ok: true });
  });

  test("fails a lone surrogate that only appears after repair", () => {
    expect(parser.parse("{'status': 'active', 'count': 1, 'note': '\\ud800'}")).toMatchObject({
      ok: false,
      issues: [{ code: "invalid_unicode" }],
    });
  });

  test("accepts escaped surrogate pairs", () => {
    expect(parser.parse('{"status":"active","count":1,"note":"\\ud83d\\ude00"}')).toMatchObject({
      ok: true,
      data: { note: "😀" },
    });
  });

  test("fails output that needs an absurd number of repairs", () => {
    const text = `{'status': 'active', 'count': 1, 'note': null, 'x': [${"'a',".repeat(2000)}]}`;
    expect(open.parse(text)).toMatchObject({
      ok: false,
      reason: "invalid",
      issues: [{ code: "too_many_repairs" }],
    });
  });
});
