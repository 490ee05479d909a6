/**
 * A server for bench/http.bench.ts, run in its own process so the load generator does not share its event
 * loop: `node --import tsx bench/http-server.ts bare|app`. Prints `listening <url>` once ready.
 */
import Fastify from "fastify";
import { createTestServices } from "../src/compose.js";
import { compileSchema } from "../src/core/validate/ajv.js";
import { buildApp } from "../src/http/app.js";
import { tuneV8ForServing } from "../src/runtime/v8-tuning.js";
import { mediumFixture } from "./fixtures.js";

export const BENCH_SUBJECT = "bench-http";

async function startBare(): Promise<string> {
  const validate = compileSchema(mediumFixture().schema);
  const bare = Fastify({ logger: false });
  bare.post<{ Body: { output: string } }>("/validate", async (request, reply) => {
    const data: unknown = JSON.parse(request.body.output);
    if (!validate(data)) return reply.code(422).send({ ok: false });
    return { ok: true, data };
  });
  return `${await bare.listen({ host: "127.0.0.1", port: 0 })}/validate`;
}

async function startApp(): Promise<string> {
  // As `structreg serve` does before it starts the server.
  tuneV8ForServing();
  const services = createTestServices();
  const app = await buildApp({
    registry: services.registry,
    validation: services.validation,
    quarantine: services.quarantine,
    metrics: services.metrics,
    logger: false,
  });
  await services.registry.register(BENCH_SUBJECT, mediumFixture().schema);
  return `${await app.listen({ host: "127.0.0.1", port: 0 })}/subjects/${BENCH_SUBJECT}/validate`;
}

const url = process.argv[2] === "app" ? await startApp() : await startBare();
process.stdout.write(`listening ${url}\n`);
// Exit through process.exit so `--cpu-prof` (used when profiling this server) gets to write its profile.
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => process.exit(0));
