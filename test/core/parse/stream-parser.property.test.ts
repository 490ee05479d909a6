import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { JsonSchema } from "../../../src/core/json.js";
import { createParser } from "../../../src/core/parse/pipeline.js";

const ITEM: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["sku", "qty", "kind"],
  properties: {
    sku: { type: "string" },
    qty: { type: "integer" },
    kind: { type: "string", enum: ["part", "labour", "other"] },
  },
};
const SCHEMA: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["title", "total", "ratio", "paid", "note", "tags", "lines"],
  properties: {
    title: { type: "string" },
    total: { type: "integer" },
    ratio: { type: "number" },
    paid: { type: "boolean" },
    note: { type: ["string", "null"] },
    tags: { type: "array", items: { type: "string" } },
    lines: { type: "array", items: ITEM },
  },
};
const parser = createParser(SCHEMA);

// Characters that stress the reader: quotes, backslashes, control characters, multi-byte and astral ones.
const text = fc.string({
  unit: fc.constantFrom(
    "a",
    "Z",
    " ",
    '"',
    "\\",
    "/",
    "\n",
    "\t",
    "\u0001",
    "é",
    "€",
    "😀",
    "\u2028",
    "\ud800",
    "{",
    "]",
  ),
  maxLength: 12,
});
const line = fc.record({
  sku: text,
  qty: fc.integer({ min: -1000, max: 100000 }),
  kind: fc.constantFrom("part", "labour", "other", "Part", "misc"),
});
const value = fc.record({
  title: text,
  total: fc.oneof(
    fc.integer(),
    fc.constant("12"),
    fc.constant(-0),
    fc.maxSafeInteger(),
    fc.constant(2 ** 53 + 1),
  ),
  ratio: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer()),
  paid: fc.boolean(),
  note: fc.option(text, { nil: null }),
  tags: fc.array(text, { maxLength: 4 }),
  lines: fc.array(line, { maxLength: 4 }),
});

/** Ways a model's output goes wrong; `undefined` leaves it valid. */
type Corruption = (json: string, at: number) => string;
const CORRUPTIONS: Array<Corruption | undefined> = [
  undefined,
  undefined,
  (json, at) => json.slice(0, at), // cut off
  (json) => `Sure! Here it is:\n${json}\nAnything else?`,
  (json) => `\`\`\`json\n${json}\n\`\`\``,
  (json, at) => json.slice(0, at) + json.slice(at + 1), // a character lost
  (json) => json.replace(/}$/, ",}"), // trailing comma
  (json) => json.replaceAll('"', "'"), // single quotes
  (json, at) => `${json.slice(0, at)}//x\n${json.slice(at)}`, // a comment, maybe inside a string
  // Texts the preview reads as JSON but JSON.parse does not (or reads differently): end() must notice.
  (json) => `\uFEFF${json}`, // a BOM
  (json) => ` \n${json}\r\n\t`, // JSON whitespace around: still strict
  (json) => `${json} ok`, // text after the root
  (json) => json.replace("\\n", "\n").replace("\\t", "\t"), // a raw control character in a string
  (json) => json.replace(/]/, ",]"), // a trailing comma in an array
  (json) => json.replace(/^{/, '{"__proto__":{"x":1},'), // an own __proto__ key (unknown: dropped)
  (json) => json.replace(/(\d)([,}\]])/, "$1e0$2"), // an exponent on an integer
  // Last: a duplicated key, whose last value wins, so an earlier partial showed a value that changes.
  (json) => json.replace(/^{/, '{"title":"first",'),
];
/** Corruptions from this index on make partials inconsistent with the final value by design. */
const INCONSISTENT_FROM = CORRUPTIONS.length - 1;

const output = fc
  .tuple(value, fc.integer({ min: 0, max: CORRUPTIONS.length - 1 }), fc.nat(), fc.boolean())
  .map(([v, which, at, pretty]) => {
    const json = JSON.stringify(v, null, pretty ? 2 : undefined);
    const corrupt = CORRUPTIONS[which];
    const text = corrupt === undefined ? json : corrupt(json, at % (json.length + 1));
    return { text, consistent: which < INCONSISTENT_FROM };
  });

/** The text cut at the given points (sorted, deduplicated, within range). */
function cut(whole: string, points: number[]): string[] {
  const at = [...new Set(points.map((p) => p % (whole.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let from = 0;
  for (const p of [...at, whole.length]) {
    out.push(whole.slice(from, p));
    from = p;
  }
  return out;
}

/** The value at a JSON Pointer, or undefined. */
function at(value: unknown, pointer: string): unknown {
  if (pointer === "") return value;
  let cur = value;
  for (const raw of pointer.slice(1).split("/")) {
    const seg = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (typeof cur !== "object" || cur === null || !Object.hasOwn(cur, seg)) return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

describe("stream parser properties", () => {
  test("end() equals parse() on the whole text, and every partial is consistent with the final value", () => {
    fc.assert(
      fc.property(output, fc.array(fc.nat(), { maxLength: 30 }), ({ text: whole, consistent }, points) => {
        const stream = parser.stream();
        const final = parser.parse(whole);
        const strict = consistent && final.ok && final.track === "strict";
        for (const delta of cut(whole, points)) {
          stream.write(delta);
          const partial = stream.snapshot();
          if (!strict) continue;
          for (const path of partial.complete) expect(at(partial.value, path)).toEqual(at(final.data, path));
          if (partial.pending !== undefined) {
            const shown = at(partial.value, partial.pending) as string;
            expect((at(final.data, partial.pending) as string).startsWith(shown)).toBe(true);
          }
        }
        expect(stream.end()).toEqual(final);
        expect(stream.text).toBe(whole);
      }),
      { numRuns: 400 },
    );
  });

  test("a valid output read to its end shows the final value, every path complete", () => {
    fc.assert(
      fc.property(value, fc.array(fc.nat(), { maxLength: 30 }), (v, points) => {
        const whole = JSON.stringify(v);
        const final = parser.parse(whole);
        fc.pre(final.ok && final.track === "strict");
        const stream = parser.stream();
        for (const delta of cut(whole, points)) stream.write(delta);
        const partial = stream.snapshot();
        expect(partial.status).toBe("done");
        expect(partial.value).toEqual(final.ok ? final.data : undefined);
        expect(partial.complete.at(-1)).toBe("");
      }),
      { numRuns: 200 },
    );
  });
});
