import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestRegistry, type TestRegistry } from "./registry-server.js";
import { runCli } from "./run-cli.js";

const SCHEMA = {
  type: "object",
  properties: {
    label: { type: "string", enum: ["bug", "feature"] },
    score: { type: "integer" },
  },
  required: ["label", "score"],
  additionalProperties: false,
};

const SUBJECT = "batch-ticket";
let server: TestRegistry;
let dir: string;
beforeAll(async () => {
  server = await startTestRegistry();
  await server.registry.register(SUBJECT, SCHEMA);
  dir = await mkdtemp(join(tmpdir(), "structreg-batch-"));
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const batch = (argv: string[]) => runCli(["validate-batch", ...argv, "--url", server.url], { cwd: dir });

function responseBody(content: object): object {
  return {
    id: "resp_1",
    object: "response",
    status: "completed",
    output: [{ type: "message", content: [content] }],
  };
}

function batchLine(customId: string, response: object | null, error: object | null = null): string {
  return JSON.stringify({ id: `batch_req_${customId}`, custom_id: customId, response, error });
}

/** One line of every kind the command reads, with the result each must give. */
const LINES: Array<{ text: string; expect: Record<string, unknown> }> = [
  { text: '{"label":"bug","score":1}', expect: { ok: true, track: "strict" } },
  {
    text: JSON.stringify('{"label":"bug","score":2}'),
    expect: { ok: true, track: "strict", data: { label: "bug", score: 2 } },
  },
  { text: 'Sure! {"label": "BUG", "score": 3} Anything else?', expect: { ok: true, track: "tolerant" } },
  {
    text: JSON.stringify({ output: '{"label":"feature","score":4}', key: "k4" }),
    expect: { ok: true, key: "k4" },
  },
  {
    text: JSON.stringify({ output: { label: "bug", score: 5 } }),
    expect: { ok: true, data: { label: "bug", score: 5 } },
  },
  {
    text: batchLine("req-ok", {
      status_code: 200,
      request_id: "r1",
      body: responseBody({ type: "output_text", text: '{"label":"bug","score":6}', annotations: [] }),
    }),
    expect: { ok: true, custom_id: "req-ok", key: "req-ok", data: { label: "bug", score: 6 } },
  },
  {
    text: batchLine("req-refused", {
      status_code: 200,
      request_id: "r2",
      body: responseBody({ type: "refusal", refusal: "I can't help with that." }),
    }),
    expect: { ok: false, custom_id: "req-refused", reason: "refusal" },
  },
  {
    text: batchLine("req-error", null, { code: "batch_expired", message: "expired" }),
    expect: { ok: false, custom_id: "req-error", reason: "failed" },
  },
  {
    text: batchLine("req-500", {
      status_code: 500,
      request_id: "r3",
      body: { error: { message: "server error" } },
    }),
    expect: { ok: false, custom_id: "req-500", reason: "failed" },
  },
  {
    text: batchLine("req-chat", {
      status_code: 200,
      request_id: "r4",
      body: {
        object: "chat.completion",
        choices: [{ message: { content: '{"label":"feature","score":7}' }, finish_reason: "stop" }],
      },
    }),
    expect: { ok: true, custom_id: "req-chat" },
  },
  { text: JSON.stringify({ output: "x", key: 5 }), expect: { ok: false, reason: "malformed_line" } },
  { text: JSON.stringify({ custom_id: 7, response: {} }), expect: { ok: false, reason: "malformed_line" } },
  {
    text: batchLine("req-odd", { status_code: 200, request_id: "r5", body: { hello: "world" } }),
    expect: { ok: false, custom_id: "req-odd", reason: "malformed_line" },
  },
  { text: '{"label": "bug", "score": ', expect: { ok: false, reason: "invalid" } },
  { text: '"unterminated', expect: { ok: false, reason: "no_json" } },
  { text: "[1, 2, 3]", expect: { ok: false, reason: "invalid" } },
];

async function readResults(path: string): Promise<Array<Record<string, unknown>>> {
  const text = await readFile(path, "utf8");
  return text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("structreg validate-batch", () => {
  test("reads every line kind, writes one result per line in order and exits 1 when some failed", async () => {
    const input = join(dir, "mixed.jsonl");
    // A blank line in the middle is skipped but still counts for line numbers.
    const texts = LINES.map((l) => l.text);
    texts.splice(3, 0, "");
    await writeFile(input, `${texts.join("\r\n")}\n`);
    const run = await batch([SUBJECT, "mixed.jsonl", "--out", "results.jsonl"]);
    expect(run.code).toBe(1);
    const results = await readResults(join(dir, "results.jsonl"));
    expect(results).toHaveLength(LINES.length);
    results.forEach((result, i) => {
      expect(result).toMatchObject({ line: i < 3 ? i + 1 : i + 2, ...LINES[i]?.expect });
    });
    const table = run.stdout.split("\n").map((l) =>
      l
        .split(/\s{2,}/)
        .slice(0, 3)
        .join(" "),
    );
    expect(table.slice(0, 10)).toEqual([
      "outcome track/reason lines",
      "ok strict 6",
      "ok tolerant 1",
      "ok fallback 0",
      "failed failed 2",
      "failed invalid 2",
      "failed malformed_line 3",
      "failed no_json 1",
      "failed refusal 1",
      "total 16 100.0%",
    ]);
    expect(run.stdout).toMatch(/\n16 lines in [\d.]+ s \(\d+ lines\/s\), 1 blank skipped\n$/);
  });

  test("exits 0 when every line passed, and prints the summary as JSON with --json", async () => {
    const input = join(dir, "good.jsonl");
    await writeFile(input, '{"label":"bug","score":1}\n{"label":"feature","score":2}\n');
    const run = await batch([SUBJECT, "good.jsonl", "--out", "good-results.jsonl", "--json"]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      lines: 2,
      ok: 2,
      failed: 0,
      tracks: { strict: 2, tolerant: 0, fallback: 0 },
      reasons: {},
    });
  });

  test("writes results to stdout and the summary to stderr without --out", async () => {
    await writeFile(join(dir, "one.jsonl"), '{"label":"bug","score":1}');
    const run = await batch([SUBJECT, "one.jsonl"]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ line: 1, ok: true, track: "strict" });
    expect(run.stderr).toMatch(/^outcome\s+track\/reason/);
  });

  test("validates against a pinned version", async () => {
    await writeFile(join(dir, "pinned.jsonl"), '{"label":"bug","score":1}\n');
    const run = await batch([SUBJECT, "pinned.jsonl", "--version", "1"]);
    expect(JSON.parse(run.stdout)).toMatchObject({ resolution: "pinned", targetVersion: 1 });
  });

  test.each([
    ["a missing file", "missing.jsonl", /^error SR_FILE_ACCESS: cannot read missing\.jsonl: ENOENT/],
    ["a directory", ".", /^error SR_FILE_ACCESS: cannot read \.: not a regular file/],
  ])("exits 2 with a typed error for %s", async (_name, file, message) => {
    const run = await batch([SUBJECT, file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  test("exits 2 when the results file cannot be written", async () => {
    await writeFile(join(dir, "w.jsonl"), "{}\n");
    const run = await batch([SUBJECT, "w.jsonl", "--out", join(dir, "no-such-dir", "out.jsonl")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error SR_FILE_ACCESS: cannot write .*ENOENT/);
  });

  test("exits 3 for an unknown subject before reading a line", async () => {
    await writeFile(join(dir, "x.jsonl"), "{}\n");
    const run = await batch(["no-such-subject", "x.jsonl"]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^error SR_SUBJECT_NOT_FOUND: /);
    expect(run.stdout).toBe("");
  });

  test("streams a 200,000-line file to a results file with one result per line", async () => {
    const input = join(dir, "big.jsonl");
    const out = createWriteStream(input);
    const kinds = [
      '{"label":"bug","score":1}',
      '```json\n{"label":"Feature","score":2}\n```'.replace(/\n/g, " "),
      JSON.stringify({ output: '{"label":"bug"}', key: "k" }),
      "not json",
    ];
    for (let i = 0; i < 200_000; i++) {
      if (!out.write(`${kinds[i % kinds.length]}\n`)) await once(out, "drain");
    }
    out.end();
    await once(out, "finish");
    const run = await batch([SUBJECT, "big.jsonl", "--out", "big-results.jsonl", "--json"]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      lines: 200_000,
      ok: 100_000,
      failed: 100_000,
      tracks: { strict: 50_000, tolerant: 50_000, fallback: 0 },
      reasons: { invalid: 50_000, no_json: 50_000 },
    });
    let count = 0;
    let last = 0;
    const results = createInterface({ input: createReadStream(join(dir, "big-results.jsonl")) });
    for await (const line of results) {
      count += 1;
      last = (JSON.parse(line) as { line: number }).line;
    }
    expect(count).toBe(200_000);
    expect(last).toBe(200_000);
  }, 120_000);
});
