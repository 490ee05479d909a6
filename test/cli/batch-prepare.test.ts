import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { batchRequestLine, readInputLine } from "../../src/cli/commands/batch.js";
import { responseBody } from "../helpers/fake-openai.js";
import { startTestRegistry, type TestRegistry } from "./registry-server.js";
import { runCli } from "./run-cli.js";

const INVOICE = {
  type: "object",
  "x-owner": "billing",
  properties: { total: { type: "number" }, currency: { type: "string", enum: ["EUR", "USD"] } },
  required: ["total", "currency"],
  additionalProperties: false,
};

let server: TestRegistry;
let dir: string;

beforeAll(async () => {
  server = await startTestRegistry();
  await server.registry.register("invoice", INVOICE as never);
  dir = await mkdtemp(join(tmpdir(), "structreg-batch-"));
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function prepare(lines: string[], extra: string[] = []) {
  await writeFile(join(dir, "inputs.jsonl"), `${lines.join("\n")}\n`);
  return runCli(["batch", "prepare", "invoice", "inputs.jsonl", "--url", server.url, ...extra], { cwd: dir });
}

describe("structreg batch prepare", () => {
  test("writes one /v1/responses request per input with the version's strict provider schema", async () => {
    const run = await prepare(
      [
        JSON.stringify("Invoice A: 10 EUR"),
        "",
        JSON.stringify({
          input: "Invoice B",
          custom_id: "b",
          instructions: "Extract.",
          max_output_tokens: 200,
        }),
      ],
      ["--out", "requests.jsonl", "--model", "gpt-4.1-nano"],
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("wrote 2 requests for invoice v1 (gpt-4.1-nano) to requests.jsonl");
    expect(run.stdout).toContain("structreg validate-batch invoice <output.jsonl> --version 1");
    const requests = (await readFile(join(dir, "requests.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const { "x-owner": _annotation, ...provider } = INVOICE;
    const format = { type: "json_schema", name: "invoice_v1", schema: provider, strict: true };
    expect(requests).toEqual([
      {
        custom_id: "invoice-1",
        method: "POST",
        url: "/v1/responses",
        body: { model: "gpt-4.1-nano", input: "Invoice A: 10 EUR", text: { format } },
      },
      {
        custom_id: "b",
        method: "POST",
        url: "/v1/responses",
        body: {
          model: "gpt-4.1-nano",
          input: "Invoice B",
          instructions: "Extract.",
          max_output_tokens: 200,
          text: { format },
        },
      },
    ]);
  });

  test("its output file is what validate-batch reads", async () => {
    await prepare([JSON.stringify("a"), JSON.stringify("b")], ["--out", "requests.jsonl"]);
    const requests = (await readFile(join(dir, "requests.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const outputs = requests.map((r, i) => ({
      id: `batch_req_${i}`,
      custom_id: r.custom_id,
      response: {
        status_code: 200,
        request_id: `req_${i}`,
        body: responseBody(r.body, { kind: "ok", output: { total: i, currency: "EUR" } }),
      },
      error: null,
    }));
    await writeFile(join(dir, "output.jsonl"), `${outputs.map((o) => JSON.stringify(o)).join("\n")}\n`);
    const run = await runCli(
      [
        "validate-batch",
        "invoice",
        "output.jsonl",
        "--version",
        "1",
        "--out",
        "results.jsonl",
        "--url",
        server.url,
      ],
      { cwd: dir },
    );
    expect(run.code).toBe(0);
    const results = (await readFile(join(dir, "results.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(results.map((r) => [r.custom_id, r.ok])).toEqual([
      ["invoice-1", true],
      ["invoice-2", true],
    ]);
  });

  test("writes to stdout without --out and reports on stderr", async () => {
    const run = await prepare([JSON.stringify("only")]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout.trim())).toMatchObject({
      custom_id: "invoice-1",
      body: { model: "gpt-4.1-mini" },
    });
    expect(run.stderr).toContain("wrote 1 requests for invoice v1");
  });

  test.each([
    [
      [JSON.stringify({ input: "a", custom_id: "x" }), JSON.stringify({ input: "b", custom_id: "x" })],
      /line 2: duplicate custom_id/,
    ],
    [["{not json"], /line 1: not JSON/],
    [[JSON.stringify({ text: "no input" })], /line 1: expected a string or an object with "input"/],
  ])("refuses bad inputs with exit 2 (%#)", async (lines, message) => {
    const run = await prepare(lines, ["--out", "bad.jsonl"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  test("an unknown subject exits 3", async () => {
    await writeFile(join(dir, "inputs.jsonl"), '"x"\n');
    const run = await runCli(["batch", "prepare", "nope", "inputs.jsonl", "--url", server.url], { cwd: dir });
    expect(run.code).toBe(3);
  });

  test("a missing inputs file is SR_FILE_ACCESS", async () => {
    const run = await runCli(["batch", "prepare", "invoice", "missing.jsonl", "--url", server.url], {
      cwd: dir,
    });
    expect(run.stderr).toContain("SR_FILE_ACCESS");
  });
});

describe("batch request lines", () => {
  const defaults = {
    model: "m",
    instructions: "default instructions",
    format: { type: "json_schema", name: "s_v1", schema: {}, strict: true } as const,
  };

  test("a line's own instructions win over --instructions", () => {
    const line = batchRequestLine(readInputLine('{"input": "x", "instructions": "own"}', 1, "s"), defaults);
    expect(line.body).toMatchObject({ instructions: "own" });
    expect(batchRequestLine(readInputLine('"x"', 1, "s"), defaults).body).toMatchObject({
      instructions: "default instructions",
    });
  });

  test("Responses input items pass through as they are", () => {
    const items = [{ role: "user", content: [{ type: "input_text", text: "hi" }] }];
    expect(readInputLine(JSON.stringify({ input: items }), 3, "s")).toEqual({
      customId: "s-3",
      input: items,
    });
  });

  test.each(['{"input": "x", "max_output_tokens": 5}', '{"input": "x", "custom_id": 7}'])(
    "refuses %s",
    (text) => {
      expect(() => readInputLine(text, 1, "s")).toThrow(/line 1/);
    },
  );
});
