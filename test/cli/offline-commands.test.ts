import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { runCli } from "./run-cli.js";

const STRICT = {
  type: "object",
  properties: { status: { type: "string", enum: ["open", "closed"] } },
  required: ["status"],
  additionalProperties: false,
};
const EXTENDED = {
  ...STRICT,
  properties: { status: { type: "string", enum: ["open", "closed", "pending"] } },
};
const LOOSE = { type: "object", properties: { status: { type: "string" } } };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "structreg-offline-"));
  await writeFile(join(dir, "strict.json"), JSON.stringify(STRICT));
  await writeFile(join(dir, "extended.json"), JSON.stringify(EXTENDED));
  await writeFile(join(dir, "loose.json"), JSON.stringify(LOOSE));
  await writeFile(join(dir, "broken.json"), "{ nope");
  await writeFile(join(dir, "deep.json"), `${'{"items":'.repeat(10_000)}{}${"}".repeat(10_000)}`);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const cli = (argv: string[], stdin?: string) =>
  runCli(argv, { cwd: dir, ...(stdin === undefined ? {} : { stdin }) });

describe("lint", () => {
  test("passes a strict-mode schema", async () => {
    const run = await cli(["lint", "strict.json"]);
    expect(run).toMatchObject({ code: 0, stdout: "ok (openai-strict)\n", stderr: "" });
  });

  test("exits 1 and lists every error for a schema that breaks OpenAI strict mode", async () => {
    const run = await cli(["lint", "loose.json"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error SR_LINT_FAILED: /);
    expect(run.stderr).toMatch(/^ {2}error +\/ +.*additionalProperties/m);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  test("accepts the same schema under the json-schema profile", async () => {
    const run = await cli(["lint", "loose.json", "--profile", "json-schema"]);
    expect(run).toMatchObject({ code: 0, stdout: "ok (json-schema)\n" });
  });

  test("prints problems as JSON with --json and still exits 1", async () => {
    const run = await cli(["lint", "loose.json", "--json"]);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ ok: false, code: "SR_LINT_FAILED" });
    expect(result.lint.every((p: { severity: string }) => ["error", "warning"].includes(p.severity))).toBe(
      true,
    );
  });

  test("reads the schema from stdin", async () => {
    const run = await cli(["lint", "-"], JSON.stringify(STRICT));
    expect(run.code).toBe(0);
  });

  test.each([
    ["invalid JSON", "broken.json", "SR_SCHEMA_SOURCE"],
    ["a missing file", "missing.json", "SR_SCHEMA_SOURCE"],
    ["a 10,000-level schema", "deep.json", "SR_SCHEMA_TOO_DEEP"],
  ])("exits 1 for %s with a typed error, never a crash", async (_name, file, code) => {
    const run = await cli(["lint", file]);
    expect(run.code).toBe(1);
    expect(run.stderr.startsWith(`error ${code}: `)).toBe(true);
  });
});

describe("Zod module sources", () => {
  const fixture = resolve(import.meta.dirname, "fixtures/ticket-schema.ts");

  test("lints a Zod schema named as module.ts#Export", async () => {
    const run = await cli(["lint", `${fixture}#Ticket`]);
    expect(run).toMatchObject({ code: 0, stdout: "ok (openai-strict)\n" });
  });

  test("diffs Zod schemas like JSON files", async () => {
    const json = await cli(["diff", `${fixture}#Ticket`, `${fixture}#Ticket`]);
    expect(json.code).toBe(0);
    expect(json.stdout).toContain("backward (old → new): no differences");
  });

  test("exits 1 with SR_SCHEMA_SOURCE for an export that does not exist", async () => {
    const run = await cli(["lint", `${fixture}#Nope`]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error SR_SCHEMA_SOURCE: .*no export "Nope"/);
  });
});

describe("diff", () => {
  test("marks an extended enum allowed backward and breaking forward", async () => {
    const run = await cli(["diff", "strict.json", "extended.json"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^backward \(old → new\): all allowed\n {2}allowed +ENUM_ARRAY_EXTENDED +\/\S+/m,
    );
    expect(run.stdout).toMatch(
      /^forward \(new → old\): 1 breaking\n {2}breaking +COMBINED_TYPE_SUBSCHEMAS_CHANGED/m,
    );
    expect(run.stdout).toMatch(/BACKWARD \(STRICT\): compatible\n$/);
  });

  test("exits 1 when incompatible under --level", async () => {
    const run = await cli(["diff", "strict.json", "extended.json", "--level", "FULL"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/FULL \(STRICT\): incompatible\n$/);
  });

  test("prints the verdict and both directions as JSON", async () => {
    const run = await cli(["diff", "extended.json", "strict.json", "--json"]);
    expect(run.code).toBe(1);
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({ level: "BACKWARD", policy: "STRICT", isCompatible: false });
    expect(out.directions.backward).toContainEqual(
      expect.objectContaining({ kind: "COMBINED_TYPE_SUBSCHEMAS_CHANGED", allowed: false }),
    );
  });

  test("reports no differences for identical schemas", async () => {
    const run = await cli(["diff", "strict.json", "strict.json"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("backward (old → new): no differences");
  });

  test("exits 1 with a typed error for a 10,000-level schema instead of overflowing", async () => {
    const run = await cli(["diff", "strict.json", "deep.json"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error SR_SCHEMA_TOO_DEEP: deep\.json: /);
  });
});
