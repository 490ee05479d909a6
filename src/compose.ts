/**
 * The only place adapters are constructed. Everything else receives its dependencies.
 */
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { pino } from "pino";
import { Counter } from "prom-client";
import { type FlagsConfig, openChangeFeed, openFlagSource } from "./adapters/flags/open-flags.js";
import { DEFAULT_OPENAI_CONFIG, type OpenAIConfig } from "./adapters/openai/openai-config.js";
import { createResponsesClient, type ResponsesClient } from "./adapters/openai/responses-client.js";
import { createMemoryQuarantineStore } from "./adapters/storage/memory-quarantine-store.js";
import { createMemoryRolloutStore } from "./adapters/storage/memory-rollout-store.js";
import { createMemorySchemaStore } from "./adapters/storage/memory-schema-store.js";
import { openSqlClient } from "./adapters/storage/open-store.js";
import { createSqlQuarantineStore } from "./adapters/storage/sql-quarantine-store.js";
import { createSqlRolloutStore } from "./adapters/storage/sql-rollout-store.js";
import { createSqlSchemaStore } from "./adapters/storage/sql-schema-store.js";
import { createGenerationService } from "./app/generation.js";
import type { GenerationService } from "./app/generation-types.js";
import {
  createLocalVersionSource,
  DEFAULT_VERSION_TTL_MS,
  type LocalVersionSource,
} from "./app/local-version-source.js";
import type { QuarantineStore, SchemaStore } from "./app/ports.js";
import { createQuarantineService, type QuarantineService } from "./app/quarantine.js";
import { createRegistryService } from "./app/registry.js";
import type { RegistryService } from "./app/registry-types.js";
import { createRolloutComponents, type RolloutComponents } from "./app/rollout-components.js";
import type { RolloutStore } from "./app/rollout-types.js";
import { type SyncReport, syncSchemasFolder } from "./app/sync.js";
import { createValidationMetrics } from "./app/validation/metrics.js";
import {
  createValidationService,
  DEFAULT_MAX_FALLBACK_VERSIONS,
  type ResolveTarget,
  type ValidationService,
} from "./app/validation.js";
import type { QuarantineRetention } from "./app/validation-types.js";
import type { Config } from "./config.js";
import { buildApp, HTTP_LOGGER_OPTIONS } from "./http/app.js";
import { defaultAllowedHosts } from "./http/host-check.js";
import { createMetricsRegistry, type MetricsRegistry } from "./http/metrics.js";
import { startServer as listen } from "./http/server.js";
import type { HttpTimeouts } from "./http/timeouts.js";
import { createServerLogger, type ServerLogger } from "./runtime/server-logger.js";

/** The application's services, built once per process. */
export interface Services {
  store: SchemaStore;
  registry: RegistryService;
  validation: ValidationService;
  quarantine: QuarantineService;
  quarantineStore: QuarantineStore;
  /** Rollout: the decision validate-and-parse uses, the guard and shadow runs (issue 4). */
  rollout: RolloutComponents;
  /** Generation; without OPENAI_API_KEY it answers SR_OPENAI_NOT_CONFIGURED (`openai` is then undefined). */
  generation: GenerationService;
  /** The process's one OpenAI client, when a key is configured. */
  openai: ResponsesClient | undefined;
  metrics: MetricsRegistry;
  close(): Promise<void>;
}

/** Opens the store named by the config (PostgreSQL, else PGlite in the data folder) and builds the services. */
export async function createServices(config: Config): Promise<Services> {
  const client = await openSqlClient({
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir }),
    limits: config.storage,
  });
  // One SqlClient for every store: PGlite is one instance per process.
  const services = servicesOver(createSqlSchemaStore(client), config, {
    rollout: createSqlRolloutStore(client),
    quarantine: createSqlQuarantineStore(client),
  });
  try {
    // Before serving: until the stored rollouts are loaded, every key would get the latest version.
    await services.rollout.service.start();
  } catch (err) {
    await services.close();
    throw err;
  }
  return services;
}

/** Services over an in-memory store, for tests. */
export function createTestServices(config?: Partial<Config>): Services {
  const services = servicesOver(createMemorySchemaStore(), config ?? {}, {
    rollout: createMemoryRolloutStore(),
    quarantine: createMemoryQuarantineStore(),
  });
  // Memory has no stored rollouts to load: starting only waits for the SDK (milliseconds).
  void services.rollout.service.start();
  return services;
}

function servicesOver(
  store: SchemaStore,
  config: Partial<Config>,
  stores: { rollout: RolloutStore; quarantine: QuarantineStore },
): Services {
  const { rollout: rolloutStore, quarantine: quarantineStore } = stores;
  const metrics = createMetricsRegistry();
  const registrations = new Counter({
    name: "structreg_registrations_total",
    help: "Schema registrations by outcome (created, existing, refused) and refusal code.",
    labelNames: ["outcome", "code"],
    registers: [metrics.registry],
  });
  const versions = createLocalVersionSource(store, {
    ttlMs: config.versionCacheTtlMs ?? DEFAULT_VERSION_TTL_MS,
  });
  const registry = createRegistryService({
    store,
    onRegistration: ({ outcome, code }) => registrations.inc({ outcome, code: code ?? "" }),
    onChange: (subject) => versions.invalidate(subject),
    limits: {
      ...(config.maxSchemaBytes ? { maxSchemaBytes: config.maxSchemaBytes } : {}),
      ...(config.maxSchemaDepth ? { maxSchemaDepth: config.maxSchemaDepth } : {}),
    },
  });
  const rollout = createRolloutComponents({
    store: rolloutStore,
    registry,
    flags: openFlagSource(flagsConfigOf(config)),
    feed: openChangeFeed({
      store: rolloutStore,
      databaseUrl: config.databaseUrl,
      pollMs: config.rolloutPollMs ?? 1000,
      ...(config.storage === undefined ? {} : { limits: config.storage }),
    }),
    keyPrefix: config.flagKeyPrefix ?? "structreg.",
    metricsRegistry: metrics.registry,
    warn: rolloutWarner(config),
  });
  const retention: QuarantineRetention = {
    maxPerSubject: config.quarantineMaxPerSubject ?? 10_000,
    maxAgeMs: (config.quarantineMaxAgeDays ?? 30) * DAY_MS,
  };
  const observed = createValidationMetrics(metrics.registry, { quarantine: quarantineStore });
  const validated = createValidationService({
    versions,
    quarantine: {
      store: quarantineStore,
      retention,
      maxRawBytes: config.quarantineMaxRawBytes ?? 256 * 1024,
    },
    now: () => new Date(),
    randomKey: randomUUID,
    maxFallbackVersions: config.fallbackVersions ?? DEFAULT_MAX_FALLBACK_VERSIONS,
    parserOptions: {
      ...(config.maxOutputBytes === undefined ? {} : { maxBytes: config.maxOutputBytes }),
      // Walks over a schema may do as many steps as a schema may have bytes (work-budget.ts).
      ...(config.maxSchemaBytes === undefined ? {} : { maxSchemaWork: config.maxSchemaBytes }),
    },
    resolveTarget: rollout.service.decide,
    onOutcome: (outcome) => {
      observed.observe(outcome);
      rollout.observe(outcome);
    },
  });
  const validation = rollout.wrap(validated);
  const quarantine = createQuarantineService({ store: quarantineStore, validation, now: () => new Date() });
  // Retention by age is applied on every add for that subject; this catches subjects that stopped failing.
  const pruner = setInterval(() => {
    quarantineStore.prune(retention, new Date()).catch(() => {});
  }, PRUNE_INTERVAL_MS);
  pruner.unref();
  const openaiConfig = config.openai ?? DEFAULT_OPENAI_CONFIG;
  const openai =
    openaiConfig.apiKey === undefined
      ? undefined
      : createResponsesClient({ config: openaiConfig, metricsRegistry: metrics.registry });
  const generation = generationOver(openaiConfig, openai, {
    versions,
    validation,
    registry,
    resolveTarget: rollout.service.decide,
  });
  return {
    store,
    registry,
    validation,
    quarantine,
    quarantineStore,
    rollout,
    generation,
    openai,
    metrics,
    close: async () => {
      clearInterval(pruner);
      await rollout.service.close();
      await openai?.close();
      await store.close();
    },
  };
}

// Generation resolves its version through the same rollout decision as validation: a key gets one version.
function generationOver(
  config: OpenAIConfig,
  openai: ResponsesClient | undefined,
  deps: {
    versions: LocalVersionSource;
    validation: ValidationService;
    registry: RegistryService;
    resolveTarget: ResolveTarget;
  },
): GenerationService {
  return createGenerationService({
    versions: deps.versions,
    validation: deps.validation,
    resolveTarget: deps.resolveTarget,
    responses: openai,
    providerSchema: (subject, version) => deps.registry.getProviderSchema(subject, version),
    defaultModel: config.model,
    subjects: config.subjects,
    budgetMs: config.budgetMs,
    idempotencyWindowMs: config.idempotencyWindowMs,
    now: () => performance.now(),
    randomKey: randomUUID,
  });
}

/** The flag settings of a (partial) config: embedded mode unless an SDK key is set. */
function flagsConfigOf(config: Partial<Config>): FlagsConfig {
  return {
    flagKeyPrefix: config.flagKeyPrefix ?? "structreg.",
    ldSdkKey: config.ldSdkKey,
    ldApiToken: config.ldApiToken,
    ldProjectKey: config.ldProjectKey ?? "default",
    ldEnvironmentKey: config.ldEnvironmentKey ?? "production",
    ldStreamUri: config.ldStreamUri,
    ldBaseUri: config.ldBaseUri,
    ldEventsUri: config.ldEventsUri,
    ldApiUri: config.ldApiUri ?? "https://app.launchdarkly.com",
  };
}

/** Rollout warnings (automatic rollbacks) as pino log lines. */
function rolloutWarner(config: Partial<Config>): (message: string, fields: Record<string, unknown>) => void {
  const logger = pino({ level: config.logLevel ?? "warn", name: "structreg.rollout" });
  return (message, fields) => logger.warn(fields, message);
}

const DAY_MS = 86_400_000;
const PRUNE_INTERVAL_MS = 3_600_000;

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
  const serverLogger = openServerLogger(config);
  try {
    const sync = await publishSchemas(config, services.registry, log);
    const app = await buildApp({
      registry: services.registry,
      validation: services.validation,
      quarantine: services.quarantine,
      rollout: { service: services.rollout.service, guard: services.rollout.guard },
      generation: services.generation,
      metrics: services.metrics,
      logger: serverLogger?.logger ?? false,
      options: {
        bodyLimitBytes: config.bodyLimitBytes,
        validateBodyLimitBytes: config.validateBodyLimitBytes,
        tokens: config.tokens,
        ...edgeOptions(config),
        accessLog: { ...config.accessLog, write: serverLogger?.writeLine },
      },
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
        serverLogger?.flush();
      },
    };
  } catch (err) {
    await services.close();
    serverLogger?.flush();
    throw err;
  }
}

/** Host allow-list (default: loopback names and the bound host without tokens) and timeouts. */
function edgeOptions(config: Config): { allowedHosts: readonly string[]; timeouts: HttpTimeouts } {
  const secured = config.tokens.length > 0;
  return {
    allowedHosts: config.edge.allowedHosts ?? defaultAllowedHosts(config.host, secured),
    timeouts: config.edge.timeouts,
  };
}

/** The HTTP logger (asynchronous stdout), none when LOG_LEVEL=silent. */
function openServerLogger(config: Config): ServerLogger | undefined {
  if (config.logLevel === "silent") return undefined;
  const redact = { ...HTTP_LOGGER_OPTIONS.redact, paths: [...HTTP_LOGGER_OPTIONS.redact.paths] };
  return createServerLogger({ level: config.logLevel, redact });
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
  // A registry frozen (READONLY) or being filled by an import (IMPORT) must still start: publish nothing.
  const mode = await registry.getMode(null);
  if (mode !== "READWRITE") {
    log(`schemas folder ${config.schemasDir} not published: the registry is in ${mode} mode`);
    return undefined;
  }
  const report = await syncSchemasFolder(config.schemasDir, {
    register: (subject, schema, options) => registry.register(subject, schema, options),
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
