import { describe, expect, test } from "vitest";
import { extractJson } from "../../../src/core/parse/extract.js";

describe("extractJson", () => {
  test.each([
    { name: "plain JSON", text: ' {"a":1}\n', span: '{"a":1}', kinds: [] },
    { name: "a BOM", text: '\ufeff{"a":1}', span: '{"a":1}', kinds: ["stripped_bom"] },
    {
      name: "a fenced block",
      text: 'Here:\n```json\n{"a":1}\n```\nDone',
      span: '{"a":1}',
      kinds: ["extracted_fence"],
    },
    {
      name: "the first fence that holds an object",
      text: '```sh\nrun {x}\n```\n```\n{"a":1}\n```',
      span: '{"a":1}',
      kinds: ["extracted_fence"],
    },
    { name: "an unclosed fence", text: '```json\n{"a":1', span: '{"a":1', kinds: ["extracted_fence"] },
    {
      name: "prose around an object",
      text: 'Result: {"a":{"b":"}"}} ok',
      span: '{"a":{"b":"}"}}',
      kinds: ["extracted_prose"],
    },
    {
      name: "prose after an object",
      text: '{"a":1}\nHope that helps!',
      span: '{"a":1}',
      kinds: ["extracted_prose"],
    },
    {
      name: "a truncated object in prose",
      text: 'Result: {"a":[1,',
      span: '{"a":[1,',
      kinds: ["extracted_prose"],
    },
  ])("finds $name", ({ text, span, kinds }) => {
    const found = extractJson(text, 64);
    expect(found.ok).toBe(true);
    if (!found.ok) return;
    expect(found.span).toBe(span);
    expect(found.repairs.map((r) => r.kind)).toEqual(kinds);
  });

  test("reports text with no object", () => {
    expect(extractJson("No JSON here, sorry.", 64)).toEqual({ ok: false, reason: "no_json" });
  });

  test("fails bracket nesting beyond the limit before anything recursive runs", () => {
    expect(extractJson(`x ${"{".repeat(100_000)}`, 64)).toEqual({ ok: false, reason: "too_deep", limit: 64 });
  });
});
