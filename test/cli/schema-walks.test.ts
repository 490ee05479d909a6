/** Issue #9 from the command line: the offline commands answer for `$ref` chains, or refuse them typed. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { refChain } from "../fixtures/ref-chains.js";
import { runCli } from "./run-cli.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "structreg-walks-"));
  await writeFile(join(dir, "chain.json"), JSON.stringify(refChain(40)));
  await writeFile(join(dir, "changed.json"), JSON.stringify(refChain(40, { leafType: "integer" })));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const cli = (argv: string[]) => runCli(argv, { cwd: dir });

describe("a 40-node double-reference chain", () => {
  test("lints clean and diffs against itself with no differences", async () => {
    expect(await cli(["lint", "chain.json"])).toMatchObject({ code: 0, stdout: "ok (openai-strict)\n" });
    const run = await cli(["diff", "chain.json", "chain.json"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("backward (old → new): no differences");
  });

  test("diff exits 1 with SR_SCHEMA_TOO_COMPLEX when the change repeats under 2^39 paths", async () => {
    const run = await cli(["diff", "chain.json", "changed.json"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error SR_SCHEMA_TOO_COMPLEX: Schema is too complex: /);
  }, 60_000);
});
