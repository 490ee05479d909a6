/** An app over the real registry, validation and quarantine services (memory stores). */
import type { FastifyInstance } from "fastify";
import { createMemoryQuarantineStore } from "../../src/adapters/storage/memory-quarantine-store.js";
import { createMemorySchemaStore } from "../../src/adapters/storage/memory-schema-store.js";
import { createLocalVersionSource } from "../../src/app/local-version-source.js";
import type { QuarantineStore } from "../../src/app/ports.js";
import { createQuarantineService } from "../../src/app/quarantine.js";
import { createRegistryService } from "../../src/app/registry.js";
import type { RegistryService } from "../../src/app/registry-types.js";
import { createValidationMetrics } from "../../src/app/validation/metrics.js";
import { createValidationService } from "../../src/app/validation.js";
import type { JsonObject } from "../../src/core/json.js";
import type { HttpOptions } from "../../src/http/app.js";
import { buildApp } from "../../src/http/app.js";
import { createMetricsRegistry } from "../../src/http/metrics.js";

export const TICKET: JsonObject = {
  type: "object",
  properties: {
    name: { type: "string" },
    status: { type: "string", enum: ["open", "closed"] },
    count: { type: "integer" },
  },
  required: ["name", "status", "count"],
  additionalProperties: false,
};

export const GOOD = '{"name":"a","status":"open","count":1}';

/** The app, its registry and the quarantine store behind it. */
export interface ValidateApp {
  app: FastifyInstance;
  registry: RegistryService;
  store: QuarantineStore;
}

/** Builds the app with subject "tickets" registered at version 1 (TICKET). */
export async function validateApp(options: Partial<HttpOptions> = {}): Promise<ValidateApp> {
  const schemaStore = createMemorySchemaStore();
  const source = createLocalVersionSource(schemaStore);
  const registry = createRegistryService({ store: schemaStore, onChange: (s) => source.invalidate(s) });
  await registry.register("tickets", TICKET);
  const store = createMemoryQuarantineStore();
  const metrics = createMetricsRegistry({ defaultMetrics: false });
  const observed = createValidationMetrics(metrics.registry, { quarantine: store });
  let n = 0;
  const validation = createValidationService({
    versions: source,
    quarantine: { store, retention: { maxPerSubject: 1000, maxAgeMs: 1e10 }, maxRawBytes: 4096 },
    now: () => new Date(),
    randomKey: () => `key-${++n}`,
    onOutcome: observed.observe,
  });
  const quarantine = createQuarantineService({ store, validation, now: () => new Date() });
  const app = await buildApp({ registry, validation, quarantine, metrics, options });
  return { app, registry, store };
}
