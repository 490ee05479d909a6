import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { describe, expect, test } from "vitest";
import { LineSplitter, readLineChunks } from "../../../src/cli/batch/line-splitter.js";

/** What readline (the reader validate-batch used before) gives for the same chunks. */
async function readlineLines(chunks: Buffer[]): Promise<string[]> {
  const lines: string[] = [];
  const input = Readable.from(chunks, { objectMode: false });
  for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) lines.push(line);
  return lines;
}

async function splitterLines(chunks: Buffer[]): Promise<string[]> {
  const lines: string[] = [];
  for await (const batch of readLineChunks(Readable.from(chunks, { objectMode: false })))
    lines.push(...batch);
  return lines;
}

const b = (...parts: Array<string | number[]>) =>
  Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : Buffer.from(p))));

describe("LineSplitter", () => {
  test.each([
    ["LF", ["a\nb\n"], ["a", "b"]],
    ["CRLF", ["a\r\nb\r\n"], ["a", "b"]],
    ["lone CR", ["a\rb\rc"], ["a", "b", "c"]],
    ["blank lines are lines", ["\n\na\r\n\r\n"], ["", "", "a", ""]],
    ["no final newline", ["a\nlast"], ["a", "last"]],
    ["a final CR ends the last line", ["a\r"], ["a"]],
    ["CRLF split across chunks", ["a\r", "\nb\n"], ["a", "b"]],
    ["CR CR LF", ["a\r\r\nb"], ["a", "", "b"]],
    ["a line across chunks", ["ab", "cd", "e\nf"], ["abcde", "f"]],
    ["empty input", [], []],
  ])("splits %s like readline", async (_name, texts, expected) => {
    const chunks = texts.map((t) => Buffer.from(t));
    expect(await splitterLines(chunks)).toEqual(expected);
    expect(await readlineLines(chunks)).toEqual(expected);
  });

  test.each([
    ["a character split across chunks", [b("a\u00e9"), b([0x9e]), b("\u65e5\n")]],
    ["malformed UTF-8", [b("x", [0xff, 0xc3, 0x28, 0xe2, 0x82], "\ny")]],
    ["an incomplete character at the end (dropped)", [b("x\n"), b([0xe2, 0x82])]],
    ["a split character after a CR forgets the CR", [b("a\r"), b([0xe2]), b("\nb")]],
    ["a byte order mark (kept)", [b("\ufeff{}\n")]],
  ])("decodes %s like readline", async (_name, chunks) => {
    expect(await splitterLines(chunks)).toEqual(await readlineLines(chunks));
  });

  test("matches readline on random text cut at random places", async () => {
    // A fixed-seed generator: the same cases on every run.
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const pieces = ["a", "{}", "\n", "\r", "\r\n", "\u00e9", "\ud83c\udf89", " ", "\ufeff", "\u2028"];
    for (let round = 0; round < 300; round++) {
      const parts: Array<string | number[]> = [];
      for (let i = random(40); i > 0; i--) {
        parts.push(random(12) === 0 ? [0x80 + random(0x80)] : (pieces[random(pieces.length)] as string));
      }
      const bytes = b(...parts);
      const chunks: Buffer[] = [];
      for (let at = 0; at < bytes.length; ) {
        const size = 1 + random(6);
        chunks.push(bytes.subarray(at, at + size));
        at += size;
      }
      expect(await splitterLines(chunks)).toEqual(await readlineLines(chunks));
    }
  });

  test("hands back the lines a chunk completes and keeps the tail", () => {
    const splitter = new LineSplitter();
    expect(splitter.push(Buffer.from("one\ntw"))).toEqual(["one"]);
    expect(splitter.push(Buffer.from("o"))).toEqual([]);
    expect(splitter.push(Buffer.from("\nthree"))).toEqual(["two"]);
    expect(splitter.end()).toEqual(["three"]);
  });
});
