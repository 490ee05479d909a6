/**
 * validate-batch benchmark (issue 3): records/s of `structreg validate-batch` (the real command, run
 * in-process through `main`, against a registry listening on loopback) ÷ a baseline that does the same
 * job the minimal way: it reads the same JSONL file line by line with readline, runs `JSON.parse` + the
 * compiled ajv validator on each record (unwrapping each line kind the obvious way), and writes each valid
 * record's line to an output file, batched into 64 KiB writes with backpressure as validate-batch writes.
 * Goal ≥ 0.85× (issue 9). A batch validator's job includes its output, as the HTTP benchmark's bare route answers
 * the data too; the same ratio against the baseline without any write is printed beside it (no goal), so
 * the cost of the output is visible. The file mixes raw output lines, `{output, key}` lines (text and
 * parsed outputs) and OpenAI Batch API lines, all valid, on the medium schema.
 */
import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { main } from "../src/cli/main.js";
import { createTestServices } from "../src/compose.js";
import { isJsonObject, type JsonObject } from "../src/core/json.js";
import { compileSchema } from "../src/core/validate/ajv.js";
import { buildApp } from "../src/http/app.js";
import { mediumFixture } from "./fixtures.js";
import type { BenchRow } from "./harness.js";

const LINES = 50_000;
const ROUNDS = 3;
const SUBJECT = "bench-batch";

/** 2 in 5 raw lines, 1 in 5 `{output: "<text>", key}`, 1 in 5 `{output: {…}, key}`, 1 in 5 Batch API lines. */
export function lineAt(i: number, output: JsonObject): string {
  switch (i % 5) {
    case 0:
    case 1:
      return JSON.stringify(output);
    case 2:
      return JSON.stringify({ output: JSON.stringify(output), key: `user-${i}` });
    case 3:
      return JSON.stringify({ output, key: `user-${i}` });
    default: {
      const body = {
        id: `resp_${i}`,
        object: "response",
        status: "completed",
        output: [
          {
            type: "message",
            role: "assistant",
            content: [{ type: "output_text", text: JSON.stringify(output) }],
          },
        ],
        output_text: JSON.stringify(output),
      };
      return JSON.stringify({
        id: `batch_req_${i}`,
        custom_id: `req-${i}`,
        response: { status_code: 200, request_id: `r${i}`, body },
        error: null,
      });
    }
  }
}

async function writeInput(path: string, output: JsonObject): Promise<void> {
  const out = createWriteStream(path);
  for (let i = 0; i < LINES; i++) {
    if (!out.write(`${lineAt(i, output)}\n`)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

/**
 * The baseline: readline + JSON.parse + compiled ajv, unwrapping each line kind the obvious way; with
 * `out`, each valid record's line is written there (64 KiB writes, waiting for drain when asked).
 */
async function baseline(path: string, validate: (v: unknown) => boolean, out?: string): Promise<number> {
  let valid = 0;
  const sink = out === undefined ? undefined : createWriteStream(out, { highWaterMark: 1024 * 1024 });
  let buffer = "";
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    const value = JSON.parse(line) as JsonObject;
    let output: unknown = value;
    if (Object.hasOwn(value, "custom_id")) {
      const response = value.response as JsonObject;
      output = JSON.parse(String((response.body as JsonObject).output_text));
    } else if (Object.hasOwn(value, "output")) {
      output = typeof value.output === "string" ? JSON.parse(value.output) : value.output;
    }
    if (!validate(output)) continue;
    valid++;
    if (sink === undefined) continue;
    buffer += `${line}\n`;
    if (buffer.length >= 64 * 1024) {
      if (!sink.write(buffer)) await once(sink, "drain");
      buffer = "";
    }
  }
  if (sink !== undefined) {
    sink.end(buffer);
    await once(sink, "finish");
  }
  return valid;
}

async function command(url: string, input: string, out: string): Promise<number> {
  let stdout = "";
  const code = await main(["validate-batch", SUBJECT, input, "--out", out, "--url", url, "--json"], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: () => true },
    env: {},
    isTTY: false,
  });
  const summary: unknown = JSON.parse(stdout);
  if (code !== 0 || !isJsonObject(summary) || summary.ok !== LINES) {
    throw new Error(`validate-batch did not accept every line (exit ${code}): ${stdout}`);
  }
  return LINES;
}

async function timed(fn: () => Promise<number>): Promise<number> {
  const start = performance.now();
  const n = await fn();
  return (n * 1000) / (performance.now() - start);
}

function median(list: number[]): number {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Runs the benchmark and returns its rows. */
export async function run(): Promise<BenchRow[]> {
  const fixture = mediumFixture();
  const dir = await mkdtemp(join(tmpdir(), "structreg-bench-batch-"));
  const services = createTestServices();
  const app = await buildApp({ registry: services.registry, logger: false });
  try {
    await services.registry.register(SUBJECT, fixture.schema);
    const url = await app.listen({ host: "127.0.0.1", port: 0 });
    const input = join(dir, "input.jsonl");
    await writeInput(input, fixture.output);
    const validate = compileSchema(fixture.schema) as (v: unknown) => boolean;
    const rates: { base: number[]; bare: number[]; batch: number[] } = { base: [], bare: [], batch: [] };
    const echo = join(dir, "baseline-out.jsonl");
    // Warm every path once, then alternate so machine noise falls on all sides alike.
    await baseline(input, validate, echo);
    await baseline(input, validate);
    await command(url, input, join(dir, "warm.jsonl"));
    for (let r = 0; r < ROUNDS; r++) {
      rates.base.push(await timed(() => baseline(input, validate, echo)));
      rates.bare.push(await timed(() => baseline(input, validate)));
      rates.batch.push(await timed(() => command(url, input, join(dir, `out-${r}.jsonl`))));
    }
    const base = median(rates.base);
    const bare = median(rates.bare);
    const batch = median(rates.batch);
    const group = `batch ${LINES} lines, medium`;
    return [
      {
        group,
        name: "readline + JSON.parse + compiled ajv + each line written (baseline)",
        value: base,
        unit: "lines/s",
        ratio: 1,
      },
      {
        group,
        name: "validate-batch (in-process, results written) ÷ baseline",
        value: batch,
        unit: "lines/s",
        ratio: batch / base,
        goal: "≥ 0.85×",
        met: batch / base >= 0.85,
      },
      {
        group: `${group}, nothing written`,
        name: "readline + JSON.parse + compiled ajv, nothing written",
        value: bare,
        unit: "lines/s",
        ratio: 1,
      },
      {
        group: `${group}, nothing written`,
        name: "validate-batch (results written) ÷ that (no goal)",
        value: batch,
        unit: "lines/s",
        ratio: batch / bare,
      },
    ];
  } finally {
    await app.close();
    await services.close();
    await rm(dir, { recursive: true, force: true });
  }
}
