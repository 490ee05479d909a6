import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import type { RegistryService } from "../../src/app/registry-types.js";
import { type AppDeps, buildApp } from "../../src/http/app.js";
import { createMetricsRegistry } from "../../src/http/metrics.js";
import { createFakeRegistry } from "./fake-registry.js";

/** Confluent's media type, as registry clients send it. */
export const VND = "application/vnd.schemaregistry.v1+json";

/** A strict-mode-friendly object schema as JSON text. */
export function objectSchema(properties: Record<string, unknown> = { a: { type: "string" } }): string {
  return JSON.stringify({
    type: "object",
    properties,
    required: Object.keys(properties),
    additionalProperties: false,
  });
}

/** An app over the fake registry (or the one given), without default process metrics. */
export async function testApp(
  overrides: Partial<AppDeps> = {},
): Promise<{ app: FastifyInstance; registry: RegistryService }> {
  const registry = overrides.registry ?? createFakeRegistry();
  const app = await buildApp({
    registry,
    metrics: createMetricsRegistry({ defaultMetrics: false }),
    ...overrides,
  });
  return { app, registry };
}

/** Sends a JSON body (object or raw text) with Confluent's media type unless headers say otherwise. */
export function send(
  app: FastifyInstance,
  method: NonNullable<InjectOptions["method"]>,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  const payload = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
  return app.inject({
    method,
    url,
    headers: { ...(payload === undefined ? {} : { "content-type": VND }), ...headers },
    ...(payload === undefined ? {} : { payload }),
  });
}
