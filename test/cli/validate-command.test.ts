import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runCli } from "./run-cli.js";
import { startValidationServer, type ValidationTestServer } from "./validation-server.js";

const V1 = {
  type: "object",
  properties: { label: { type: "string", enum: ["bug", "feature"] }, score: { type: "integer" } },
  required: ["label", "score"],
  additionalProperties: false,
};
const V2 = {
  ...V1,
  properties: { ...V1.properties, label: { type: "string", enum: ["bug", "feature", "question"] } },
};

let server: ValidationTestServer;
let dir: string;
beforeAll(async () => {
  server = await startValidationServer();
  dir = await mkdtemp(join(tmpdir(), "structreg-validate-"));
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

let counter = 0;
async function subject(...schemas: object[]): Promise<string> {
  counter += 1;
  const s = `validate-cli-${counter}`;
  for (const schema of schemas) await server.registry.register(s, JSON.stringify(schema));
  return s;
}

const cli = (argv: string[], stdin = "") => runCli([...argv, "--url", server.url], { cwd: dir, stdin });

describe("structreg validate", () => {
  test("prints the data and the track, and exits 0", async () => {
    const s = await subject(V1);
    const run = await cli(["validate", s], '{"label":"bug","score":1}');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ label: "bug", score: 1 });
    expect(run.stderr).toBe(`ok: ${s} version 1, track strict\n`);
  });

  test("shows the repairs of a recovered output", async () => {
    const s = await subject(V1);
    const run = await cli(["validate", s], '```json\n{"label":"Bug","score":1}\n```');
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/track tolerant\nrepaired: 2 change\(s\)\n/);
  });

  test("exits 1 with the issues and the quarantine id when rejected", async () => {
    const s = await subject(V1);
    const run = await cli(["validate", s, "--key", "user-7"], '{"label":"bug"}');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^rejected: invalid \(version 1\)\n/);
    expect(run.stderr).toMatch(/\/score\s+missing_property\s+is required/);
    expect(run.stderr).toMatch(/\nquarantined as id \d+\n$/);
  });

  test("pins a version and prints the outcome as JSON with --json", async () => {
    const s = await subject(V1, V2);
    const run = await cli(
      ["validate", s, "--version", "1", "--key", "k", "--json"],
      '{"label":"bug","score":2}',
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: true,
      version: 1,
      resolution: "pinned",
      key: "k",
      keyGenerated: false,
    });
  });

  test("sends a whole Responses API response read from stdin", async () => {
    const s = await subject(V1);
    const response = {
      object: "response",
      status: "incomplete",
      incomplete_details: { reason: "max_output_tokens" },
      output_text: '{"label":"bu',
    };
    const run = await cli(["validate", s, "--json"], JSON.stringify(response));
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: false,
      reason: "incomplete",
      quarantineId: expect.any(Number),
    });
  });

  test.each([
    ["an unknown subject", ["validate", "no-such-subject"], 3, "SR_SUBJECT_NOT_FOUND"],
    ["a bad --version", ["validate", "x", "--version", "two"], 2, "SR_USAGE"],
  ])("exits with the error's code for %s", async (_name, argv, code, errorCode) => {
    const run = await cli(argv, "{}");
    expect(run.code).toBe(code);
    expect(run.stderr).toMatch(new RegExp(`^error ${errorCode}: `));
  });
});

describe("structreg quarantine", () => {
  async function subjectWithBadCases(): Promise<string> {
    const s = await subject(V1);
    await cli(["validate", s, "--key", "a"], '{"label":"question","score":1}');
    await cli(["validate", s], "I can't help with that.");
    await cli(["validate", s], "no json at all");
    return s;
  }

  test("lists bad cases newest first as a table", async () => {
    const s = await subjectWithBadCases();
    const run = await cli(["quarantine", "list", s]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^id\s+created\s+version\s+reason\s+status\s+issue\s+raw$/);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/)[3])).toEqual(["no_json", "refusal", "invalid"]);
    expect(lines[3]).toMatch(/\/label invalid_enum/);
  });

  test("filters and pages the listing", async () => {
    const s = await subjectWithBadCases();
    const page = await cli(["quarantine", "list", s, "--limit", "2", "--json"]);
    const first = JSON.parse(page.stdout) as { items: Array<{ id: number }>; nextCursor?: number };
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(Number));
    const next = await cli(["quarantine", "list", s, "--limit", "2", "--cursor", String(first.nextCursor)]);
    expect(next.stdout).not.toMatch(/more: --cursor/);
    const refusals = await cli(["quarantine", "list", s, "--reason", "refusal", "--json"]);
    expect(JSON.parse(refusals.stdout).items).toEqual([expect.objectContaining({ reason: "refusal" })]);
  });

  test("says so when nothing is quarantined", async () => {
    const s = await subject(V1);
    const run = await cli(["quarantine", "list", s]);
    expect(run.stdout).toBe("no quarantined samples\n");
  });

  test("exports bad cases as JSONL to stdout or to a file", async () => {
    const s = await subjectWithBadCases();
    const out = await cli(["quarantine", "export", s]);
    const records = out.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(records).toHaveLength(3);
    expect(records[0]).toMatchObject({ subject: s, raw: expect.any(String), rawSha256: expect.any(String) });
    const file = await cli(["quarantine", "export", s, "--out", "eval.jsonl", "--reason", "invalid"]);
    expect(file.stderr).toBe("exported 1 sample(s) to eval.jsonl\n");
    const text = await readFile(join(dir, "eval.jsonl"), "utf8");
    expect(JSON.parse(text)).toMatchObject({ reason: "invalid" });
  });

  test("replays bad cases against a newer version and reports what recovered", async () => {
    const s = await subjectWithBadCases();
    await server.registry.register(s, JSON.stringify(V2));
    const run = await cli(["quarantine", "replay", s, "--version", "2"]);
    expect(run).toMatchObject({ code: 0, stdout: "replayed 3: 1 recovered, 2 still failing\n" });
    const open = await cli(["quarantine", "list", s, "--status", "open", "--json"]);
    expect(JSON.parse(open.stdout).items).toHaveLength(2);
  });

  test.each([
    ["a bad --limit", ["quarantine", "list", "x", "--limit", "0"], 2],
    ["an unknown --status", ["quarantine", "list", "x", "--status", "maybe"], 2],
  ])("exits 2 for %s", async (_name, argv, code) => {
    expect((await cli(argv)).code).toBe(code);
  });
});
