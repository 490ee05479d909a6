import { Ajv } from "ajv";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from "fastify";
import type { GenerationService } from "../app/generation-types.js";
import type { RolloutGuard } from "../app/guard.js";
import type { QuarantineService } from "../app/quarantine.js";
import type { RegistryService } from "../app/registry-types.js";
import type { RolloutService } from "../app/rollout-types.js";
import type { ValidationService } from "../app/validation.js";
import {
  type AccessLogOptions,
  DEFAULT_ACCESS_LOG,
  registerAccessLog,
  requestLoggingOptions,
} from "./access-log.js";
import { createAuthHook, type HttpToken } from "./auth.js";
import { registerContentTypes, setResponseType } from "./content-types.js";
import { registerEdgeGuards } from "./csrf-guard.js";
import { installErrorHandling, sendError } from "./error-handler.js";
import { type AllowedHosts, defaultAllowedHosts } from "./host-check.js";
import { createMetricsRegistry, type MetricsRegistry, registerMetrics } from "./metrics.js";
import { registerOpenApi } from "./openapi.js";
import { compatibilityRoutes } from "./routes/compatibility.js";
import { configRoutes } from "./routes/config.js";
import { generateRoutes } from "./routes/generate.js";
import { modeRoutes } from "./routes/mode.js";
import { quarantineRoutes } from "./routes/quarantine.js";
import { rolloutRoutes } from "./routes/rollout.js";
import { rootRoutes } from "./routes/root.js";
import { schemaRoutes } from "./routes/schemas.js";
import { subjectRoutes } from "./routes/subjects.js";
import { validateRoutes } from "./routes/validate.js";
import { versionRoutes } from "./routes/versions.js";
import { createStreamMetrics } from "./stream-metrics.js";
import {
  applyConnectionLimit,
  DEFAULT_HTTP_TIMEOUTS,
  type HttpTimeouts,
  timeoutServerOptions,
} from "./timeouts.js";
import "./route-config.js";
import { registerConsole, registerConsoleRedirect } from "../ui/plugin.js";

/** HTTP settings. */
export interface HttpOptions {
  /** Largest accepted request body. */
  bodyLimitBytes: number;
  /** Largest body of POST /subjects/{s}/validate (model outputs can be big; oversize ones fail as too_large). */
  validateBodyLimitBytes: number;
  /** Bearer tokens; with none, no route needs a token (and the server binds loopback only). */
  tokens: HttpToken[];
  /** `Host` names answered (`["*"]`: any); default: loopback names without tokens, any with tokens. */
  allowedHosts?: AllowedHosts;
  /** Slow-client timeouts and connection limits. */
  timeouts: HttpTimeouts;
  /** The access log: one line per request (see access-log.ts). */
  accessLog: AccessLogOptions;
}

/** Defaults: 2 MiB bodies (16 MiB for validate), no tokens, every request logged. */
export const DEFAULT_HTTP_OPTIONS: Readonly<HttpOptions> = {
  bodyLimitBytes: 2 * 1024 * 1024,
  validateBodyLimitBytes: 16 * 1024 * 1024,
  tokens: [],
  timeouts: DEFAULT_HTTP_TIMEOUTS,
  accessLog: DEFAULT_ACCESS_LOG,
};

/** What `buildApp` needs. */
export interface AppDeps {
  registry: RegistryService;
  /** validate-and-parse: POST /subjects/{s}/validate is served only when given. */
  validation?: ValidationService;
  /** The quarantine routes are served only when given. */
  quarantine?: QuarantineService;
  /** The rollout routes are served only when given (the guard adds its figures to GET). */
  rollout?: { service: RolloutService; guard?: RolloutGuard };
  /** POST /subjects/{s}/generate is served only when given. */
  generation?: GenerationService;
  metrics?: MetricsRegistry;
  logger?: FastifyBaseLogger | boolean;
  options?: Partial<HttpOptions>;
}

declare module "fastify" {
  interface FastifyInstance {
    /** True when the app was built with tokens (startServer refuses a mismatch). */
    structregAuthEnabled: boolean;
  }
}

/** Log paths never written: bearer secrets. */
export const LOG_REDACT_PATHS = [
  "req.headers.authorization",
  "request.headers.authorization",
  "headers.authorization",
];

/** pino options of the app's own logger (`logger: true`); pass them to a logger given as an instance too. */
export const HTTP_LOGGER_OPTIONS = { redact: { paths: LOG_REDACT_PATHS, censor: "[redacted]" } } as const;

/** Subject names are up to 255 characters; find-my-way's default cap (100) would 404 longer ones. */
const MAX_PARAM_LENGTH = 512;

function loggerOptions(logger: AppDeps["logger"]): Pick<FastifyServerOptions, "logger" | "loggerInstance"> {
  if (logger === undefined || logger === false) return { logger: false };
  if (logger === true)
    return { logger: { ...HTTP_LOGGER_OPTIONS, redact: { ...HTTP_LOGGER_OPTIONS.redact } } };
  return { loggerInstance: logger };
}

/**
 * Bodies are validated without type coercion (a number is not a schema text); query strings and path
 * parameters are coerced, as they only ever arrive as strings.
 */
function installValidators(app: FastifyInstance): void {
  const strict = new Ajv({ coerceTypes: false, useDefaults: true, removeAdditional: false, strict: false });
  const coercing = new Ajv({
    coerceTypes: "array",
    useDefaults: true,
    removeAdditional: true,
    strict: false,
  });
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === "body" ? strict : coercing).compile(schema),
  );
}

/** Builds the HTTP API (Confluent-compatible routes and extensions); never listens. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const options: HttpOptions = { ...DEFAULT_HTTP_OPTIONS, ...deps.options };
  const app = Fastify({
    ...loggerOptions(deps.logger),
    ...requestLoggingOptions(deps.logger !== undefined && deps.logger !== false),
    bodyLimit: options.bodyLimitBytes,
    ...timeoutServerOptions(options.timeouts),
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: (error, request, reply) => sendError(request, reply, error),
  }) as unknown as FastifyInstance;
  app.decorate("structregAuthEnabled", options.tokens.length > 0);
  applyConnectionLimit(app, options.timeouts);
  registerEdgeGuards(
    app,
    options.allowedHosts ?? defaultAllowedHosts("127.0.0.1", options.tokens.length > 0),
  );
  installValidators(app);
  registerContentTypes(app);
  installErrorHandling(app);
  registerAccessLog(app, options.accessLog);
  // PERFORMANCE: without tokens the hook would only return; not registering it saves a hook call and a
  // promise on every request.
  registerConsoleRedirect(app, options.tokens);
  if (options.tokens.length > 0) app.addHook("onRequest", createAuthHook(options.tokens));
  // One synchronous (done-style) onSend hook for every answer: each hook is a call through Fastify's hook
  // runner, and an async one would also cost a promise and a microtask.
  app.addHook("onSend", (request, reply, payload, done) => {
    reply.header("x-request-id", request.id);
    setResponseType(request, reply);
    done(null, payload);
  });
  const metrics = deps.metrics ?? createMetricsRegistry();
  registerMetrics(app, metrics);
  await registerOpenApi(app, { bearerAuth: options.tokens.length > 0 });
  const resource = { registry: deps.registry };
  for (const routes of [
    rootRoutes,
    subjectRoutes,
    versionRoutes,
    compatibilityRoutes,
    schemaRoutes,
    configRoutes,
    modeRoutes,
  ]) {
    await app.register(routes, resource);
  }
  if (deps.validation !== undefined) {
    await app.register(validateRoutes, {
      validation: deps.validation,
      bodyLimitBytes: options.validateBodyLimitBytes,
    });
  }
  if (deps.quarantine !== undefined) await app.register(quarantineRoutes, { quarantine: deps.quarantine });
  if (deps.generation !== undefined) {
    const streamMetrics = createStreamMetrics(metrics.registry);
    await app.register(generateRoutes, { generation: deps.generation, streamMetrics });
  }
  if (deps.rollout !== undefined) {
    await app.register(rolloutRoutes, {
      rollout: deps.rollout.service,
      ...(deps.rollout.guard === undefined ? {} : { guard: deps.rollout.guard }),
      tokens: options.tokens,
    });
  }
  await registerConsole(app, { ...deps, rollout: deps.rollout, tokens: options.tokens });
  return app;
}
