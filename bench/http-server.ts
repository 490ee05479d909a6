/**
 * The baseline server of bench/http.bench.ts, run in its own process so the load generator does not share
 * its event loop: a bare Fastify route doing only `JSON.parse` + the compiled ajv validator, no logger.
 * `node --import tsx bench/http-server.ts`. Prints `listening <url>` once ready.
 */
import Fastify from "fastify";
import { compileSchema } from "../src/core/validate/ajv.js";
import { mediumFixture } from "./fixtures.js";

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

const url = await startBare();
process.stdout.write(`listening ${url}\n`);
// Exit through process.exit so `--cpu-prof` (used when profiling this server) gets to write its profile.
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => process.exit(0));
