/**
 * HTTP validate benchmark (issue 3): `POST /subjects/{s}/validate` of the real app (buildApp over
 * createTestServices, the medium schema registered) ÷ a bare Fastify route doing only `JSON.parse` + the
 * compiled ajv validator on the same payload, both started by this run on 127.0.0.1:0 and driven by
 * autocannon at 16 and 64 connections. Goal ≥ 0.75× req/s; the p99 latency ratio is reported beside it.
 * The load generator runs in this process and shares the machine's cores with both servers: both sides
 * are measured identically, alternately, so the ratio is fair even though absolute figures are low.
 */
import { createRequire } from "node:module";
import Fastify from "fastify";
import { createTestServices } from "../src/compose.js";
import { compileSchema } from "../src/core/validate/ajv.js";
import { buildApp } from "../src/http/app.js";
import { mediumFixture } from "./fixtures.js";
import type { BenchRow } from "./harness.js";

const SUBJECT = "bench-http";
const DURATION_S = 3;
/** Alternating rounds per connection count; each side keeps its best round (contention only ever slows). */
const ROUNDS = 2;
const CONNECTIONS = [16, 64];

/** The part of autocannon's result this benchmark reads. */
interface LoadResult {
  requests: { average: number };
  latency: { p99: number };
  non2xx: number;
  errors: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<LoadResult>;

// autocannon ships no type declarations: load it through require with the shape above.
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

async function load(url: string, body: string, connections: number, seconds: number): Promise<LoadResult> {
  const result = await autocannon({
    url,
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
    connections,
    duration: seconds,
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx answers and ${result.errors} errors under load`);
  }
  return result;
}

function better(a: LoadResult | undefined, b: LoadResult): LoadResult {
  return a === undefined || b.requests.average > a.requests.average ? b : a;
}

/** The bare route: Fastify's body parsing, then only JSON.parse + compiled ajv, answering the data. */
async function startBare(
  validate: (v: unknown) => boolean,
): Promise<{ url: string; close: () => Promise<void> }> {
  const bare = Fastify({ logger: false });
  bare.post<{ Body: { output: string } }>("/validate", async (request, reply) => {
    const data: unknown = JSON.parse(request.body.output);
    if (!validate(data)) return reply.code(422).send({ ok: false });
    return { ok: true, data };
  });
  const address = await bare.listen({ host: "127.0.0.1", port: 0 });
  return { url: `${address}/validate`, close: () => bare.close() };
}

/** Runs the benchmark and returns its rows. */
export async function run(): Promise<BenchRow[]> {
  const fixture = mediumFixture();
  const services = createTestServices();
  const app = await buildApp({
    registry: services.registry,
    validation: services.validation,
    quarantine: services.quarantine,
    metrics: services.metrics,
    logger: false,
  });
  const bare = await startBare(compileSchema(fixture.schema) as (v: unknown) => boolean);
  try {
    await services.registry.register(SUBJECT, fixture.schema);
    const appUrl = `${await app.listen({ host: "127.0.0.1", port: 0 })}/subjects/${SUBJECT}/validate`;
    const body = JSON.stringify({ output: JSON.stringify(fixture.output), key: "user-42" });
    // Warm both (JIT, caches, sockets) before anything is measured.
    await load(bare.url, body, 16, 1);
    await load(appUrl, body, 16, 1);
    const rows: BenchRow[] = [];
    for (const connections of CONNECTIONS) {
      let base: LoadResult | undefined;
      let real: LoadResult | undefined;
      for (let r = 0; r < ROUNDS; r++) {
        base = better(base, await load(bare.url, body, connections, DURATION_S));
        real = better(real, await load(appUrl, body, connections, DURATION_S));
      }
      if (base === undefined || real === undefined) throw new Error("no load round ran");
      const group = `http validate, medium, ${connections} conn`;
      const ratio = real.requests.average / base.requests.average;
      rows.push(
        {
          group,
          name: "bare Fastify JSON.parse + ajv (baseline)",
          value: base.requests.average,
          unit: "req/s",
          ratio: 1,
        },
        {
          group,
          name: "POST /subjects/{s}/validate ÷ baseline",
          value: real.requests.average,
          unit: "req/s",
          ratio,
          goal: "≥ 0.75×",
          met: ratio >= 0.75,
        },
        {
          group,
          name: "p99 latency, validate ÷ baseline",
          value: real.latency.p99,
          unit: "ms",
          ratio: real.latency.p99 / Math.max(base.latency.p99, 1),
        },
      );
    }
    return rows;
  } finally {
    await app.close();
    await bare.close();
    await services.close();
  }
}
