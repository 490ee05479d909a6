/**
 * Hostile input to the CLI commands that take it: schema files (lint, diff, parse, check, register), model
 * output on stdin (parse) and subject names (check, register against a real registry). Every run ends with
 * a typed exit code (never 70, an internal error) and no stack trace, and nothing is registered.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestRegistry, type TestRegistry } from "../../cli/registry-server.js";
import { runCli } from "../../cli/run-cli.js";
import { createTempDir, type TempDir } from "../../helpers/databases.js";
import { hostileSchemas } from "./inputs.js";

const GOOD = {
  type: "object",
  properties: { a: { type: "string" } },
  required: ["a"],
  additionalProperties: false,
};
const DEPTH = 20_000;
const FILES: Array<[string, string | Buffer]> = [
  ...hostileSchemas().map(([name, schema]): [string, string] => [name, JSON.stringify(schema)]),
  ["an empty file", ""],
  ["malformed JSON", '{"type": '],
  ["invalid UTF-8", Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])],
  ["binary garbage", Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256))],
  ["deep nesting", `${'{"items":'.repeat(DEPTH)}{}${"}".repeat(DEPTH)}`],
  ["lone surrogates and NUL", '{"type":"object","description":"\\ud800\\u0000"}'],
  ["a byte-order mark", `\ufeff${JSON.stringify(GOOD)}`],
];
const OUTPUTS: Array<[string, string]> = [
  ["deep nesting", `${"[".repeat(100_000)}${"]".repeat(100_000)}`],
  ["NUL and lone surrogates", '{"a": "\\u0000\\ud800"}\u0000'],
  ["a huge number", '{"a": 1e400}'],
  ["__proto__ keys", '{"__proto__": {"a": "x"}, "constructor": {"prototype": {}}}'],
  [
    "a very wide object",
    JSON.stringify(Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, i]))),
  ],
  ["truncated JSON", '{"a": "unterminated'],
];
const SUBJECTS = ["a".repeat(10_000), "ünïcødé", "..", "a/b", "a\u0000b", "-leading-dash", "a b"];

let dir: TempDir;
let registry: TestRegistry;
beforeAll(async () => {
  dir = await createTempDir("structreg-hostile-cli-");
  await writeFile(join(dir.path, "good.json"), JSON.stringify(GOOD));
  for (const [i, [, content]] of FILES.entries()) await writeFile(join(dir.path, `f${i}.json`), content);
  registry = await startTestRegistry();
});
afterAll(async () => {
  await registry?.close();
  await dir?.remove();
});

function expectTyped(run: { code: number; stdout: string; stderr: string }, label: string): void {
  expect([0, 1, 2, 3], `${label}: ${run.stderr.slice(0, 300)}`).toContain(run.code);
  expect(run.stderr, label).not.toMatch(/\n\s+at .+:\d+:\d+/);
}

const cli = (argv: string[], stdin?: string) =>
  runCli(argv, {
    cwd: dir.path,
    env: { STRUCTREG_URL: registry.url },
    ...(stdin === undefined ? {} : { stdin }),
  });

describe("hostile schema files", () => {
  test.each(FILES.map(([name], i) => [name, `f${i}.json`]))(
    "%s: lint, diff, parse, check, register",
    async (name, file) => {
      expectTyped(await cli(["lint", file]), `lint ${name}`);
      expectTyped(await cli(["diff", "good.json", file]), `diff ${name}`);
      expectTyped(await cli(["parse", "--schema", file], '{"a": "x"}'), `parse ${name}`);
      expectTyped(await cli(["check", "s", file]), `check ${name}`);
      expectTyped(await cli(["register", "hostile", file]), `register ${name}`);
    },
  );
});

describe("hostile model output on stdin", () => {
  test.each(OUTPUTS)("parse with %s", async (name, output) => {
    expectTyped(await cli(["parse", "--schema", "good.json"], output), `parse ${name}`);
  });
});

describe("hostile subject names", () => {
  test.each(SUBJECTS.map((s) => [s.slice(0, 20), s]))(
    "%s: check and register are refused with a typed exit",
    async (_label, subject) => {
      const check = await cli(["check", subject, "good.json"]);
      expectTyped(check, `check ${subject.slice(0, 20)}`);
      const register = await cli(["register", subject, "good.json"]);
      expectTyped(register, `register ${subject.slice(0, 20)}`);
      expect(register.code).not.toBe(0);
    },
  );

  test("nothing hostile was registered", async () => {
    const subjects = await registry.registry.listSubjects();
    expect(subjects.filter((s) => s !== "hostile")).toEqual([]);
  });
});
