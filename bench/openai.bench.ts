/**
 * Generation benchmarks (issue 5): what structreg adds around one upstream call, against the fake
 * Responses API answering at once, as a ratio to a bare `openai` SDK call against the same fake:
 * - the resilient client (budget, in-flight permit, breaker, attempt timer, metrics) ÷ bare SDK call;
 * - the whole generate path (version resolution, provider schema, call, validate-and-parse) ÷ bare SDK call.
 * - the same client ÷ the SDK over the same undici pool without policies (the policies' own cost).
 * Calls are sequential, so the figures are per-call latency; candidates alternate to spread machine noise.
 */
import OpenAI from "openai";
import { DEFAULT_OPENAI_CONFIG } from "../src/adapters/openai/openai-config.js";
import { createResponsesClient } from "../src/adapters/openai/responses-client.js";
import { createTransport } from "../src/adapters/openai/transport.js";
import { generationWorld, INVOICE_V1 } from "../test/app/generation-fixtures.js";
import { startFakeOpenAI } from "../test/helpers/fake-openai.js";
import type { BenchRow } from "./harness.js";

const ROUNDS = 7;
const ROUND_MS = 400;

/** Mean milliseconds per call of `fn` over about `ms` (after a short warm-up). */
async function msPerCall(fn: () => Promise<unknown>, ms: number): Promise<number> {
  for (let i = 0; i < 20; i++) await fn();
  let calls = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    await fn();
    calls++;
  }
  return (performance.now() - start) / calls;
}

async function compare(fns: Record<string, () => Promise<unknown>>): Promise<Record<string, number>> {
  const samples: Record<string, number[]> = {};
  for (const name of Object.keys(fns)) samples[name] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, fn] of Object.entries(fns)) samples[name]!.push(await msPerCall(fn, ROUND_MS));
  }
  const out: Record<string, number> = {};
  for (const [name, list] of Object.entries(samples)) {
    out[name] = [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
  }
  return out;
}

/** Runs the generation benchmarks. */
export async function run(): Promise<BenchRow[]> {
  const fake = await startFakeOpenAI({ defaultOutput: { total: 12.5, currency: "EUR" } });
  const world = await generationWorld(fake, {
    openai: { budgetMs: 30_000, attemptTimeoutMs: 25_000, breakerMinCalls: 100 },
    schemas: [INVOICE_V1],
  });
  const config = { ...DEFAULT_OPENAI_CONFIG, apiKey: fake.apiKey, baseURL: fake.baseURL };
  const client = createResponsesClient({ config });
  const bare = new OpenAI({ apiKey: fake.apiKey, baseURL: fake.baseURL, maxRetries: 0 });
  // The same SDK over structreg's undici pool, no policies: separates transport gains from policy costs.
  const pooled = createTransport({
    apiKey: fake.apiKey,
    baseURL: fake.baseURL,
    maxConnections: 32,
    timeoutMs: 25_000,
  });
  const { format } = await world.generation.textFormat("invoice");
  const body = { model: config.model, input: "Invoice: 12.50 EUR", text: { format } };
  try {
    const costs = await compare({
      bare: () => bare.responses.create(body),
      pooled: () => pooled.sdk.responses.create(body),
      client: () => client.create(body),
      generate: () => world.generation.generate("invoice", { input: "Invoice: 12.50 EUR", key: "bench" }),
    });
    const bareMs = costs.bare!;
    return [
      {
        group: "openai",
        name: "bare openai SDK call (fake answering at once)",
        value: bareMs * 1000,
        unit: "µs",
        ratio: 1,
      },
      {
        group: "openai",
        name: "policies alone: resilient client ÷ same SDK over the same pool",
        value: (costs.client! - costs.pooled!) * 1000,
        unit: "µs added",
        ratio: costs.client! / costs.pooled!,
      },
      {
        group: "openai",
        name: "resilient client call ÷ bare SDK call",
        value: costs.client! * 1000,
        unit: "µs",
        ratio: costs.client! / bareMs,
      },
      {
        group: "openai",
        name: "generate (resolve + call + validate) ÷ bare SDK call",
        value: costs.generate! * 1000,
        unit: "µs",
        ratio: costs.generate! / bareMs,
      },
    ];
  } finally {
    await client.close();
    await pooled.close();
    await world.close();
    await fake.close();
  }
}
