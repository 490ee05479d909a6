/**
 * The only place adapters are constructed. Everything else receives its dependencies.
 */
import { existsSync } from "node:fs";
import { pino } from "pino";
import { Counter } from "prom-client";
import { createMemorySchemaStore } from "./adapters/storage/memory-schema-store.js";
import { openSchemaStore } from "./adapters/storage/open-store.js";
import type { SchemaStore } from "./app/ports.js";
import { createRegistryService } from "./app/registry.js";
import type { RegistryService } from "./app/registry-types.js";
import { type SyncReport, syncSchemasFolder } from "./app/sync.js";
import type { Config } from "./config.js";
import { buildApp, HTTP_LOGGER_OPTIONS } from "./http/app.js";
import { createMetricsRegistry, type MetricsRegistry } from "./http/metrics.js";
import { startServer as listen } from "./http/server.js";

/** The application's services, built once per process. */
export interface Services {
  store: SchemaStore;
  registry: RegistryService;
  metrics: MetricsRegistry;
  close(): Promise<void>;
}

/** Opens the store named by the config (PostgreSQL, else PGlite in the data folder) and builds the services. */
export async function createServices(config: Config): Promise<Services> {
  const store = await openSchemaStore(
    config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir },
  );
  return servicesOver(store, config);
}

/** Services over an in-memory store, for tests. */
export function createTestServices(config?: Partial<Config>): Services {
  return servicesOver(createMemorySchemaStore(), config ?? {});
}

function servicesOver(store: SchemaStore, config: Partial<Config>): Services {
  const metrics = createMetricsRegistry();
  const registrations = new Counter({
    name: "structreg_registrations_total",
    help: "Schema registrations by outcome (created, existing, refused) and refusal code.",
    labelNames: ["outcome", "code"],
    registers: [metrics.registry],
  });
  const registry = createRegistryService({
    store,
    onRegistration: ({ outcome, code }) => registrations.inc({ outcome, code: code ?? "" }),
    limits: {
      ...(config.maxSchemaBytes ? { maxSchemaBytes: config.maxSchemaBytes } : {}),
      ...(config.maxSchemaDepth ? { maxSchemaDepth: config.maxSchemaDepth } : {}),
    },
  });
  return { store, registry, metrics, close: () => store.close() };
}

/** A running server. */
export interface RunningServer {
  url: string;
  services: Services;
  sync: SyncReport | undefined;
  close(): Promise<void>;
}

/** Logs a line for a person (the CLI passes stderr). */
export type LogLine = (line: string) => void;

/** Opens the store, publishes the schemas folder, and listens. The caller closes it on SIGINT/SIGTERM. */
export async function startServer(config: Config, options: { log?: LogLine } = {}): Promise<RunningServer> {
  const log = options.log ?? (() => {});
  const services = await createServices(config);
  try {
    const sync = await publishSchemas(config, services.registry, log);
    const app = await buildApp({
      registry: services.registry,
      metrics: services.metrics,
      logger:
        config.logLevel === "silent"
          ? false
          : pino({
              level: config.logLevel,
              redact: { ...HTTP_LOGGER_OPTIONS.redact, paths: [...HTTP_LOGGER_OPTIONS.redact.paths] },
            }),
      options: { bodyLimitBytes: config.bodyLimitBytes, tokens: config.tokens },
    });
    let url: string;
    try {
      url = await listen(app, {
        host: config.host,
        port: config.port,
        tokens: config.tokens,
        allowInsecureBind: config.allowInsecureBind,
      });
    } catch (err) {
      await app.close();
      throw err;
    }
    const store = config.databaseUrl ? "PostgreSQL" : `PGlite in ${config.dataDir}`;
    log(`structreg listening on ${url} (store: ${store}; docs: ${url}/docs)`);
    return {
      url,
      services,
      sync,
      async close() {
        await app.close();
        await services.close();
      },
    };
  } catch (err) {
    await services.close();
    throw err;
  }
}

async function publishSchemas(
  config: Config,
  registry: RegistryService,
  log: LogLine,
): Promise<SyncReport | undefined> {
  if (!config.syncSchemas) return undefined;
  if (!existsSync(config.schemasDir)) {
    log(`schemas folder ${config.schemasDir} not found: nothing published`);
    return undefined;
  }
  const report = await syncSchemasFolder(config.schemasDir, {
    register: (subject, schema) => registry.register(subject, schema),
  });
  log(summarizeSync(report));
  return report;
}

function summarizeSync(report: SyncReport): string {
  const { created, unchanged, refused, skipped } = report.counts;
  const problems = report.files.flatMap((f) =>
    f.status === "refused" ? [`\n  refused ${f.subject}/${f.file}: ${f.error.code} ${f.error.message}`] : [],
  );
  const warnings = report.warnings.map((w) => `\n  warning ${w.file}: ${w.message}`);
  return `published ${report.dir}: ${created} created, ${unchanged} unchanged, ${refused} refused, ${skipped} skipped${problems.join("")}${warnings.join("")}`;
}
