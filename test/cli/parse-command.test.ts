import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { runCli } from "./run-cli.js";

const TICKET = {
  type: "object",
  properties: {
    status: { type: "string", enum: ["open", "closed"] },
    count: { type: "integer" },
  },
  required: ["status", "count"],
  additionalProperties: false,
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "structreg-parse-"));
  await writeFile(join(dir, "ticket.json"), JSON.stringify(TICKET));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const parse = (stdin: string, ...flags: string[]) =>
  runCli(["parse", "--schema", "ticket.json", ...flags], { cwd: dir, stdin });

describe("structreg parse", () => {
  test("prints the data of a valid output and exits 0", async () => {
    const run = await parse('{"status":"open","count":2}');
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(JSON.parse(run.stdout)).toEqual({ status: "open", count: 2 });
  });

  test("prints repaired data on stdout and the repairs on stderr", async () => {
    const run = await parse('Here you go:\n```json\n{"status": "OPEN", "count": "3",}\n```');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ status: "open", count: 3 });
    expect(run.stderr).toMatch(/^repaired: 4 change\(s\)\n/);
    expect(run.stderr).toMatch(/enum_case\s+\/status\s+"OPEN" → "open"/);
    expect(run.stderr).toMatch(/number_from_string\s+\/count/);
  });

  test("exits 1 with the issues on stderr and nothing on stdout when rejected", async () => {
    const run = await parse('{"status":"maybe"}');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^rejected: invalid\n/);
    expect(run.stderr).toMatch(/\/count\s+missing_property\s+is required/);
    expect(run.stderr).toMatch(/\/status\s+invalid_enum/);
  });

  test("prints the whole result as JSON with --json", async () => {
    const ok = await parse('{"status":"closed","count":1}', "--json");
    expect(JSON.parse(ok.stdout)).toEqual({
      ok: true,
      data: { status: "closed", count: 1 },
      repairs: [],
      track: "strict",
    });
    const bad = await parse("no json here", "--json");
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ ok: false, reason: "no_json" });
  });

  test.each([
    [
      "a refusal",
      {
        object: "response",
        status: "completed",
        output: [{ type: "message", content: [{ type: "refusal", refusal: "I can't help with that." }] }],
      },
      "refusal",
    ],
    [
      "a truncated response",
      {
        object: "response",
        status: "incomplete",
        incomplete_details: { reason: "max_output_tokens" },
        output_text: '{"status":"op',
      },
      "incomplete",
    ],
  ])("reads a Responses API response on stdin: %s is its own outcome", async (_name, response, reason) => {
    const run = await parse(JSON.stringify(response), "--json");
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, reason });
  });

  test("uses the output_text of a completed Responses API response", async () => {
    const response = { object: "response", status: "completed", output_text: '{"status":"open","count":5}' };
    const run = await parse(JSON.stringify(response));
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ status: "open", count: 5 });
  });

  test("loads a Zod schema from module.ts#Export", async () => {
    const fixture = resolve(import.meta.dirname, "fixtures/ticket-schema.ts");
    const run = await runCli(["parse", "--schema", `${fixture}#Ticket`], {
      cwd: dir,
      stdin: '{"title":"x","priority":"HIGH"}',
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ title: "x", priority: "high" });
  });

  test("answers 100,000 levels of nesting with a typed rejection, not a crash", async () => {
    const run = await parse(`${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}`, "--json");
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ ok: false, reason: "invalid" });
    expect(result.issues).toContainEqual(
      expect.objectContaining({ code: "missing_property", path: "/status" }),
    );
  });

  test.each([
    ["without --schema", ["parse"]],
    ["with --schema - (stdin holds the output)", ["parse", "--schema", "-"]],
  ])("exits 2 %s", async (_name, argv) => {
    const run = await runCli(argv, { cwd: dir, stdin: "{}" });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error SR_USAGE: /);
  });

  test("exits 1 with SR_SCHEMA_SOURCE when the schema file is missing", async () => {
    const run = await runCli(["parse", "--schema", "missing.json"], { cwd: dir, stdin: "{}" });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error SR_SCHEMA_SOURCE: /);
  });
});
