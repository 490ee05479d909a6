import type { FastifyInstance } from "fastify";
import { createTestServices, type Services } from "../../src/compose.js";
import { buildApp } from "../../src/http/app.js";
import type { HttpToken } from "../../src/http/auth.js";
import { FIXTURE_SCHEMAS } from "./fixture.js";

/** An in-memory app with the console, seeded like the browser fixture (without listening). */
export async function consoleApp(
  tokens: HttpToken[] = [],
): Promise<{ app: FastifyInstance; services: Services }> {
  const services = createTestServices();
  const app = await buildApp({
    registry: services.registry,
    validation: services.validation,
    quarantine: services.quarantine,
    rollout: { service: services.rollout.service, guard: services.rollout.guard },
    metrics: services.metrics,
    acceptedSamples: services.acceptedSamples,
    options: { tokens },
  });
  for (const schema of Object.values(FIXTURE_SCHEMAS)) await services.registry.register("invoice", schema);
  return { app, services };
}

/** Headers of a console state change (what htmx sends). */
export const CONSOLE_POST = {
  "content-type": "application/json",
  "x-structreg-request": "console",
  "hx-request": "true",
} as const;
