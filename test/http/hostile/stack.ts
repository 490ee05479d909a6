import type { FastifyInstance } from "fastify";
import { createServices, type Services } from "../../../src/compose.js";
import { loadConfig } from "../../../src/config.js";
import { buildApp, type HttpOptions } from "../../../src/http/app.js";
import { createTempDatabase, createTempDir } from "../../helpers/databases.js";

/** The whole app (every route) over a real store: PGlite in a temp folder, or a temp PostgreSQL database. */
export interface Stack {
  app: FastifyInstance;
  services: Services;
  close(): Promise<void>;
}

/** Builds the stack; `postgres` needs DATABASE_URL (callers skip without it). */
export async function openStack(
  kind: "pglite" | "postgres",
  options: Partial<HttpOptions> = {},
  env: Record<string, string> = {},
): Promise<Stack> {
  const dir = kind === "pglite" ? await createTempDir("structreg-hostile-") : undefined;
  const db = kind === "postgres" ? await createTempDatabase() : undefined;
  const config = loadConfig({
    LOG_LEVEL: "silent",
    STRUCTREG_SYNC_SCHEMAS: "false",
    ...(dir === undefined ? {} : { STRUCTREG_DATA_DIR: dir.path }),
    ...(db === undefined ? {} : { DATABASE_URL: db.url }),
    ...env,
  });
  const services = await createServices(config);
  const app = await buildApp({
    registry: services.registry,
    validation: services.validation,
    quarantine: services.quarantine,
    rollout: { service: services.rollout.service, guard: services.rollout.guard },
    generation: services.generation,
    metrics: services.metrics,
    options,
  });
  return {
    app,
    services,
    async close() {
      await app.close();
      await services.close();
      await dir?.remove();
      await db?.drop();
    },
  };
}
