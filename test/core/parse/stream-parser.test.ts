import { describe, expect, test } from "vitest";
import type { JsonSchema } from "../../../src/core/json.js";
import { createParser, createStreamParser } from "../../../src/core/parse/pipeline.js";
import type { StreamPartial } from "../../../src/core/parse/stream-parser.js";

const schema: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["title", "count", "ratio", "done", "status", "note", "tags", "lines"],
  properties: {
    title: { type: "string" },
    count: { type: "integer" },
    ratio: { type: "number" },
    done: { type: "boolean" },
    status: { type: "string", enum: ["open", "closed"] },
    note: { anyOf: [{ type: "string" }, { type: "null" }] },
    tags: { type: "array", items: { type: "string" } },
    lines: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["sku", "qty"],
        properties: { sku: { type: "string" }, qty: { type: "integer" } },
      },
    },
  },
};
const parser = createParser(schema);

/** Feeds `deltas` and returns a snapshot after each. */
function feed(
  deltas: string[],
  s: JsonSchema = schema,
): { partials: StreamPartial[]; stream: ReturnType<typeof createStreamParser> } {
  const stream = createStreamParser(s);
  const partials = deltas.map((d) => {
    stream.write(d);
    return stream.snapshot();
  });
  return { partials, stream };
}

describe("partial values", () => {
  test("a string being written is shown as it forms and is complete only once closed", () => {
    const { partials } = feed(['{"title": "Hel', "lo wor", 'ld", "count"']);
    expect(partials[0]).toMatchObject({ status: "reading", value: { title: "Hel" }, pending: "/title" });
    expect(partials[0]!.complete).toEqual([]);
    expect(partials[1]!.value).toEqual({ title: "Hello wor" });
    expect(partials[2]).toMatchObject({ value: { title: "Hello world" }, pending: undefined });
    expect(partials[2]!.complete).toEqual(["/title"]);
  });

  test.each([
    ["a number", ['{"count": 12', "3", '4, "ratio": 0.', "5}"], { count: 1234, ratio: 0.5 }],
    ["a negative exponent number", ['{"ratio": -1', ".5e", "-3", "}"], { ratio: -1.5e-3 }],
    ["a literal", ['{"done": tr', "u", "e}"], { done: true }],
    ["null", ['{"note": nu', "ll }"], { note: null }],
  ])("%s cut in the middle is held back until a delimiter proves it complete", (_name, deltas, final) => {
    const { partials } = feed(deltas);
    for (const p of partials.slice(0, -1)) {
      for (const key of Object.keys(final)) {
        if (!p.complete.includes(`/${key}`)) expect(p.value).not.toHaveProperty(key);
      }
    }
    expect(partials.at(-1)!.value).toEqual(final);
  });

  test("a number is not shown before its delimiter, even when it looks whole", () => {
    const { partials } = feed(['{"count": 12', "}"]);
    expect(partials[0]!.value).toEqual({});
    expect(partials[1]!.value).toEqual({ count: 12 });
  });

  test("an enum value appears only once complete and matching a member", () => {
    const { partials } = feed(['{"status": "clo', 'sed", "note": "x"}']);
    expect(partials[0]!.value).toEqual({});
    expect(partials[0]!.pending).toBeUndefined();
    expect(partials[1]!.value).toEqual({ status: "closed", note: "x" });
  });

  test("values the schema would coerce are held back (wrong-case enum, string for integer, unknown key)", () => {
    const { partials, stream } = feed(['{"status": "OPEN", "count": "3", "extra": 1, "title": "t"}']);
    expect(partials[0]!.value).toEqual({ title: "t" });
    expect(partials[0]!.complete).toEqual(["/title"]);
    expect(stream.end()).toMatchObject({ ok: false, reason: "invalid" });
  });

  test("an array stops showing items after one it held back, so indexes stay right", () => {
    const { partials } = feed(['{"tags": ["a", 7, "c"]}']);
    expect(partials[0]!.value).toEqual({ tags: ["a"] });
    expect(partials[0]!.complete).toEqual(["/tags/0"]);
  });

  test("nested objects appear as they open; complete paths come children first", () => {
    const { partials } = feed(['{"lines": [{"sku": "A1", "qty": 2}, {"sku": "B', '2"']);
    expect(partials[0]!.value).toEqual({ lines: [{ sku: "A1", qty: 2 }, { sku: "B" }] });
    expect(partials[0]!.complete).toEqual(["/lines/0/sku", "/lines/0/qty", "/lines/0"]);
    expect(partials[1]!.complete).toEqual(["/lines/0/sku", "/lines/0/qty", "/lines/0", "/lines/1/sku"]);
  });

  test("partial() is live and cheap; snapshot() is a copy that later deltas do not change", () => {
    const stream = createStreamParser(schema);
    stream.write('{"title": "a');
    const live = stream.partial();
    const copy = stream.snapshot();
    stream.write('b"}');
    expect(live.value).toEqual({ title: "ab" });
    expect(copy.value).toEqual({ title: "a" });
  });
});

describe("escapes and characters split across deltas", () => {
  const text = '{"title": "a\\n\\"q\\" \\u00e9 \\ud83d\\ude00 z"}';
  const final = 'a\n"q" é 😀 z';

  test.each(Array.from({ length: text.length - 1 }, (_, i) => i + 1))("split at %i", (at) => {
    const { partials, stream } = feed([text.slice(0, at), text.slice(at)]);
    const first = partials[0]!.value as { title?: string } | undefined;
    // What is shown of the string is always a prefix of the final text, never a broken escape.
    if (first?.title !== undefined) expect(final.startsWith(first.title)).toBe(true);
    expect(partials[1]!.value).toEqual({ title: final });
    expect(stream.end()).toEqual(parser.parse(text));
  });

  test("a surrogate pair split between deltas never shows a lone half", () => {
    const { partials } = feed(['{"title": "x\\ud83d', '\\ude00"}']);
    expect(partials[0]!.value).toEqual({ title: "x" });
    expect(partials[1]!.value).toEqual({ title: "x😀" });
  });

  test("a raw emoji cut between its UTF-16 halves never shows a lone half", () => {
    const emoji = "😀";
    const { partials } = feed([`{"title": "é${emoji[0]}`, `${emoji[1]} ü"}`]);
    expect(partials[0]!.value).toEqual({ title: "é" });
    expect(partials[1]!.value).toEqual({ title: "é😀 ü" });
  });

  test("a \\u escape cut after each of its characters resumes exactly", () => {
    const { partials } = feed(['{"title": "\\', "u", "0", "0", "e", '9!"}']);
    for (const p of partials.slice(0, -1)) expect(p.value).toEqual({ title: "" });
    expect(partials.at(-1)!.value).toEqual({ title: "é!" });
  });
});

describe("text before the JSON", () => {
  test("prose: waiting until the first brace, then reading from it", () => {
    const { partials, stream } = feed(["Sure! Here", ' it is: {"title": "x"', "} Enjoy."]);
    expect(partials[0]).toMatchObject({ status: "waiting", value: undefined });
    expect(partials[1]!.value).toEqual({ title: "x" });
    expect(partials[2]!.status).toBe("done");
    expect(stream.end()).toEqual(parser.parse(stream.text));
  });

  test("a fence: the object inside the first fenced block, its language line skipped", () => {
    const { partials } = feed(["Result:\n`", "``js", 'on\n  {"count": 3', "}\n```\n"]);
    expect(partials[2]!.value).toEqual({});
    expect(partials[3]!.value).toEqual({ count: 3 });
  });

  test("a fenced block without an object is skipped", () => {
    const { partials } = feed(["```\nnot json {\n```\n", 'then {"count": 1}']);
    expect(partials[0]!.status).toBe("waiting");
    expect(partials[1]!.value).toEqual({ count: 1 });
  });

  test("text that is not JSON stalls the preview; end() still repairs what it can", () => {
    const { partials, stream } = feed(["{'title': 'x'", "}"]);
    expect(partials[1]!.status).toBe("stalled");
    const outcome = stream.end();
    expect(outcome).toEqual(parser.parse("{'title': 'x'}"));
  });
});

describe("limits", () => {
  test("past the size limit: too_large partials, end() fails as parse() does, text is not kept growing", () => {
    const stream = createParser(schema, { maxBytes: 20 }).stream();
    stream.write('{"title": "abcdef');
    stream.write('ghijklmnop"}');
    expect(stream.partial().status).toBe("too_large");
    expect(stream.text.length).toBeLessThanOrEqual(20);
    expect(stream.end()).toEqual(
      createParser(schema, { maxBytes: 20 }).parse('{"title": "abcdefghijklmnop"}'),
    );
  });

  test("past the depth limit: too_deep partials, end() fails as parse() does", () => {
    const open = createParser(true, { maxDepth: 5 });
    const text = `${"[".repeat(8)}${"]".repeat(8)}`;
    const stream = open.stream();
    for (const c of text) stream.write(c);
    expect(stream.partial().status).toBe("too_deep");
    expect(stream.end()).toEqual(open.parse(text));
  });

  test("end() is computed once and later deltas are ignored", () => {
    const stream = createStreamParser(schema);
    stream.write('{"count": 1}');
    const outcome = stream.end();
    stream.write("garbage");
    expect(stream.end()).toBe(outcome);
    expect(stream.text).toBe('{"count": 1}');
  });

  test("end() takes the preview's value when the text was JSON as JSON.parse reads it", () => {
    const text =
      '{"title": "a", "count": 1, "ratio": 0.5, "done": true, "status": "open", "note": null, "tags": [], "lines": []}';
    const stream = parser.stream();
    for (let i = 0; i < text.length; i += 7) stream.write(text.slice(i, i + 7));
    const value = stream.partial().value;
    const outcome = stream.end();
    expect(outcome).toEqual(parser.parse(text));
    expect(outcome.ok && outcome.data).toBe(value);
  });

  test.each([
    ["a trailing comma", '{"title": "a", "tags": ["x",]}'],
    ["a raw newline in a string", '{"title": "a\nb"}'],
    ["a BOM", '\uFEFF{"title": "a"}'],
    ["text after the root", '{"title": "a"} thanks'],
  ])("end() parses the text again after %s, as parse() does", (_name, text) => {
    const stream = parser.stream();
    for (let i = 0; i < text.length; i += 3) stream.write(text.slice(i, i + 3));
    expect(stream.end()).toEqual(parser.parse(text));
  });
});
