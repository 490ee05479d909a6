/**
 * A real server for console tests: buildApp over the real services (PGlite in a temp dir), listening on
 * 127.0.0.1, with a subject "invoice" of three versions, a few validations and a quarantined bad case.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { createServices, type Services } from "../../src/compose.js";
import { loadConfig } from "../../src/config.js";
import { buildApp } from "../../src/http/app.js";
import type { HttpToken } from "../../src/http/auth.js";

/** A started fixture. */
export interface ConsoleFixture {
  url: string;
  app: FastifyInstance;
  services: Services;
  close(): Promise<void>;
}

const V1 = {
  type: "object",
  properties: { total: { type: "number" }, currency: { type: "string", enum: ["EUR", "USD"] } },
  required: ["total", "currency"],
  additionalProperties: false,
};
const V2 = {
  ...V1,
  properties: { ...V1.properties, currency: { type: "string", enum: ["EUR", "USD", "GBP"] } },
};
const V3 = {
  ...V2,
  properties: {
    ...V2.properties,
    note: { type: ["string", "null"], description: "free text", default: null },
  },
  required: ["total", "currency", "note"],
};

/** The fixture's schemas, for tests. */
export const FIXTURE_SCHEMAS = { V1, V2, V3 } as const;

/** Starts the fixture server. */
export async function startConsoleFixture(
  options: { tokens?: HttpToken[]; port?: number } = {},
): Promise<ConsoleFixture> {
  const dataDir = mkdtempSync(join(tmpdir(), "structreg-console-"));
  const config = loadConfig({ STRUCTREG_DATA_DIR: dataDir, STRUCTREG_LOG_LEVEL: "silent" });
  const services = await createServices(config);
  const app = await buildApp({
    registry: services.registry,
    validation: services.validation,
    quarantine: services.quarantine,
    rollout: { service: services.rollout.service, guard: services.rollout.guard },
    metrics: services.metrics,
    acceptedSamples: services.acceptedSamples,
    options: { tokens: options.tokens ?? [] },
  });
  await seed(services);
  const url = await app.listen({ host: "127.0.0.1", port: options.port ?? 0 });
  return {
    url,
    app,
    services,
    async close() {
      await app.close();
      await services.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function seed(services: Services): Promise<void> {
  for (const schema of [V1, V2, V3]) await services.registry.register("invoice", schema);
  await services.registry.register("receipt", {
    ...V1,
    properties: { ...V1.properties, merchant: { type: "string" } },
    required: ["total", "currency", "merchant"],
  });
  await services.validation.validate("invoice", '{"total": 12.5, "currency": "EUR", "note": null}');
  await services.validation.validate(
    "invoice",
    '<script>alert(1)</script> "><img src=x onerror=alert(2)> {"total": "lots"}',
  );
  await services.validation.validate("invoice", '{"total": 3, "currency": "JPY", "note": "x"}');
}
