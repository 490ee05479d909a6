import { resolve } from "node:path";
import {
  OPENAI_CONFIG_VARIABLES,
  type OpenAIConfig,
  readOpenAIConfig,
} from "./adapters/openai/openai-config.js";
import {
  readStorageLimits,
  STORAGE_CONFIG_VARIABLES,
  type StorageLimits,
} from "./adapters/storage/storage-config.js";
import { StructregError } from "./core/errors.js";
import { EDGE_CONFIG_VARIABLES, type EdgeConfig, readEdgeConfig } from "./edge-config.js";
import { int, invalid, nonEmpty } from "./env-values.js";
import type { AccessLogOptions } from "./http/access-log.js";

/** A bearer token and what it may do. */
export interface TokenConfig {
  name: string;
  secret: string;
  scopes: Array<"read" | "validate" | "write" | "admin">;
}

/** The whole process configuration, validated once at start. */
export interface Config {
  host: string;
  port: number;
  /** PGlite data folder (used when databaseUrl is not set). */
  dataDir: string;
  /** PostgreSQL connection string; when set PGlite is not used. */
  databaseUrl: string | undefined;
  /** Pool size and timeouts of the database (PostgreSQL; `queueTimeoutMs` is PGlite's). */
  storage: StorageLimits;
  /** The schemas folder published at start (schemas/<subject>/v<N>.json). */
  schemasDir: string;
  syncSchemas: boolean;
  tokens: TokenConfig[];
  allowInsecureBind: boolean;
  bodyLimitBytes: number;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /** The HTTP access log: which routine lines, what fraction, and what counts as slow. */
  accessLog: AccessLogOptions;
  /** Largest schema accepted, in bytes of JSON text. */
  maxSchemaBytes: number;
  /** Deepest schema document accepted (JSON nesting levels). */
  maxSchemaDepth: number;
  /** Rollout flag key prefix (flag of subject s: prefix + s). */
  flagKeyPrefix: string;
  /** Polling fallback of the rollout change feed, ms. */
  rolloutPollMs: number;
  /** LaunchDarkly mode when set (flags from LaunchDarkly); embedded flags otherwise. */
  ldSdkKey: string | undefined;
  /** LaunchDarkly REST API token: rollout commands change flags there. */
  ldApiToken: string | undefined;
  ldProjectKey: string;
  ldEnvironmentKey: string;
  ldStreamUri: string | undefined;
  ldBaseUri: string | undefined;
  ldEventsUri: string | undefined;
  ldApiUri: string;
  /** Largest body of POST /subjects/{s}/validate, bytes. */
  validateBodyLimitBytes: number;
  /** Longest model output validated, in characters; longer ones fail as too_large. */
  maxOutputBytes: number;
  /** Other enabled versions tried when the target rejects an output. */
  fallbackVersions: number;
  /** How long a subject's version list is cached for validation, ms. */
  versionCacheTtlMs: number;
  /** Quarantine retention: samples kept per subject. */
  quarantineMaxPerSubject: number;
  /** Quarantine retention: age after which samples are dropped, days. */
  quarantineMaxAgeDays: number;
  /** Raw output text kept per quarantined sample, UTF-8 bytes. */
  quarantineMaxRawBytes: number;
  /** Generation: OpenAI key, budgets, retries, breaker, limits (see src/adapters/openai/openai-config.ts). */
  openai: OpenAIConfig;
  /** HTTP edge: Host allow-list, slow-client timeouts, connection limits (see src/edge-config.ts). */
  edge: EdgeConfig;
}

/** Values a caller (the CLI's flags) may set over the environment. */
export interface ConfigOverrides {
  host?: string;
  port?: number;
  dataDir?: string;
  databaseUrl?: string;
  schemasDir?: string;
  syncSchemas?: boolean;
  logLevel?: Config["logLevel"];
}

/** One row of the configuration table (also rendered in README.md). */
export interface ConfigVariable {
  name: string;
  default: string;
  description: string;
}

/** Every environment variable structreg reads. */
export const CONFIG_VARIABLES: readonly ConfigVariable[] = [
  { name: "HOST", default: "127.0.0.1", description: "Address to bind." },
  { name: "PORT", default: "8080", description: "Port to bind (0 = any free port)." },
  { name: "STRUCTREG_DATA_DIR", default: "./data", description: "PGlite data folder (embedded default)." },
  { name: "DATABASE_URL", default: "(unset)", description: "PostgreSQL connection string; replaces PGlite." },
  ...STORAGE_CONFIG_VARIABLES,
  { name: "STRUCTREG_SCHEMAS_DIR", default: "./schemas", description: "Folder published at start." },
  { name: "STRUCTREG_SYNC_SCHEMAS", default: "true", description: "Publish the schemas folder at start." },
  {
    name: "STRUCTREG_TOKENS",
    default: "(none)",
    description:
      "Bearer tokens: `name:secret:scope[+scope]` separated by commas; scopes read, validate, write, admin.",
  },
  {
    name: "STRUCTREG_ALLOW_INSECURE_BIND",
    default: "false",
    description: "Allow binding a non-loopback address without tokens.",
  },
  { name: "STRUCTREG_BODY_LIMIT", default: "2097152", description: "Largest request body, bytes." },
  { name: "STRUCTREG_MAX_SCHEMA_BYTES", default: "1048576", description: "Largest schema, bytes of JSON." },
  { name: "STRUCTREG_MAX_SCHEMA_DEPTH", default: "64", description: "Deepest schema document, JSON levels." },
  {
    name: "STRUCTREG_VALIDATE_BODY_LIMIT",
    default: "16777216",
    description: "Largest body of POST /subjects/{s}/validate, bytes (bigger outputs answer 413).",
  },
  {
    name: "STRUCTREG_MAX_OUTPUT_BYTES",
    default: "1048576",
    description: "Longest model output validated, characters; longer ones fail as too_large (quarantined).",
  },
  {
    name: "STRUCTREG_FALLBACK_VERSIONS",
    default: "5",
    description: "Other enabled versions tried, newest first, when the target version rejects an output.",
  },
  {
    name: "STRUCTREG_VERSION_CACHE_TTL_MS",
    default: "1000",
    description:
      "How long validation reuses a subject's version list (changes made here invalidate it at once).",
  },
  {
    name: "STRUCTREG_QUARANTINE_MAX_PER_SUBJECT",
    default: "10000",
    description: "Quarantined samples kept per subject (oldest dropped first).",
  },
  {
    name: "STRUCTREG_QUARANTINE_MAX_AGE_DAYS",
    default: "30",
    description: "Quarantined samples older than this are dropped.",
  },
  {
    name: "STRUCTREG_QUARANTINE_MAX_RAW_BYTES",
    default: "262144",
    description: "Raw output kept per quarantined sample, bytes (full size and sha256 always kept).",
  },
  { name: "LOG_LEVEL", default: "info", description: "pino level: fatal … trace, or silent." },
  {
    name: "STRUCTREG_ACCESS_LOG",
    default: "all",
    description:
      "Access log lines: `all` (one per request), `errors` (only error and slow requests, which are always logged).",
  },
  {
    name: "STRUCTREG_ACCESS_LOG_SAMPLE",
    default: "1",
    description:
      "Fraction of routine access lines written, 0 to 1 (error and slow requests are never sampled away).",
  },
  {
    name: "STRUCTREG_SLOW_REQUEST_MS",
    default: "1000",
    description: "Requests that take at least this long get a `slow request` line (level warn), ms.",
  },
  { name: "STRUCTREG_URL", default: "http://127.0.0.1:8080", description: "CLI: the registry to talk to." },
  { name: "STRUCTREG_TOKEN", default: "(none)", description: "CLI: bearer token to send." },
  {
    name: "STRUCTREG_FROM_TOKEN",
    default: "(none)",
    description: "CLI import/export: bearer token for the source registry (`--from-token`).",
  },
  {
    name: "STRUCTREG_FROM_BASIC_AUTH",
    default: "(none)",
    description: "CLI import/export: `user:password` for the source registry (`--from-basic-auth`).",
  },
  {
    name: "STRUCTREG_FLAG_KEY_PREFIX",
    default: "structreg.",
    description: "Rollout flag key prefix: subject `invoice` is flag `structreg.invoice`.",
  },
  {
    name: "STRUCTREG_ROLLOUT_POLL_MS",
    default: "1000",
    description:
      "How often each process compares rollout revisions with the store (fallback of LISTEN/NOTIFY).",
  },
  {
    name: "LD_SDK_KEY",
    default: "(unset)",
    description:
      "LaunchDarkly mode: the server SDK reads rollout flags from LaunchDarkly. Unset: embedded flags from the store.",
  },
  {
    name: "LD_API_TOKEN",
    default: "(unset)",
    description:
      "LaunchDarkly mode: lets rollout commands change flags through the REST API (semantic patch).",
  },
  { name: "LD_PROJECT_KEY", default: "default", description: "LaunchDarkly project holding the flags." },
  {
    name: "LD_ENVIRONMENT_KEY",
    default: "production",
    description: "LaunchDarkly environment the rollout commands change.",
  },
  {
    name: "LD_STREAM_URI",
    default: "(SDK default)",
    description: "LaunchDarkly streaming endpoint (a relay proxy, or a fake in tests).",
  },
  { name: "LD_BASE_URI", default: "(SDK default)", description: "LaunchDarkly polling endpoint." },
  {
    name: "LD_EVENTS_URI",
    default: "(SDK default)",
    description: "LaunchDarkly events endpoint (structreg sends no analytics events).",
  },
  { name: "LD_API_URI", default: "https://app.launchdarkly.com", description: "LaunchDarkly REST API." },
  ...OPENAI_CONFIG_VARIABLES,
  ...EDGE_CONFIG_VARIABLES,
];

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
const SCOPES = ["read", "validate", "write", "admin"] as const;

/** Reads and validates configuration; throws SR_CONFIG_INVALID naming the variable at fault. */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  overrides: ConfigOverrides = {},
  cwd: string = process.cwd(),
): Config {
  const logLevel = overrides.logLevel ?? env.LOG_LEVEL ?? "info";
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw invalid("LOG_LEVEL", logLevel, LOG_LEVELS.join(", "));
  }
  const config: Config = {
    host: overrides.host ?? nonEmpty(env.HOST) ?? "127.0.0.1",
    port: overrides.port ?? int(env, "PORT", 8080, 0, 65_535),
    dataDir: resolve(cwd, overrides.dataDir ?? nonEmpty(env.STRUCTREG_DATA_DIR) ?? "data"),
    databaseUrl: overrides.databaseUrl ?? nonEmpty(env.DATABASE_URL),
    storage: readStorageLimits((name, fallback, min, max) => int(env, name, fallback, min, max)),
    schemasDir: resolve(cwd, overrides.schemasDir ?? nonEmpty(env.STRUCTREG_SCHEMAS_DIR) ?? "schemas"),
    syncSchemas: overrides.syncSchemas ?? bool(env, "STRUCTREG_SYNC_SCHEMAS", true),
    tokens: parseTokens(env.STRUCTREG_TOKENS),
    allowInsecureBind: bool(env, "STRUCTREG_ALLOW_INSECURE_BIND", false),
    bodyLimitBytes: int(env, "STRUCTREG_BODY_LIMIT", 2 * 1024 * 1024, 1024, 1024 ** 3),
    logLevel: logLevel as Config["logLevel"],
    accessLog: accessLog(env),
    maxSchemaBytes: int(env, "STRUCTREG_MAX_SCHEMA_BYTES", 1024 * 1024, 256, 64 * 1024 * 1024),
    maxSchemaDepth: int(env, "STRUCTREG_MAX_SCHEMA_DEPTH", 64, 4, 1000),
    flagKeyPrefix: flagKeyPrefix(env.STRUCTREG_FLAG_KEY_PREFIX),
    rolloutPollMs: int(env, "STRUCTREG_ROLLOUT_POLL_MS", 1000, 50, 60_000),
    ldSdkKey: nonEmpty(env.LD_SDK_KEY),
    ldApiToken: nonEmpty(env.LD_API_TOKEN),
    ldProjectKey: nonEmpty(env.LD_PROJECT_KEY) ?? "default",
    ldEnvironmentKey: nonEmpty(env.LD_ENVIRONMENT_KEY) ?? "production",
    ldStreamUri: httpUrl(env, "LD_STREAM_URI"),
    ldBaseUri: httpUrl(env, "LD_BASE_URI"),
    ldEventsUri: httpUrl(env, "LD_EVENTS_URI"),
    ldApiUri: httpUrl(env, "LD_API_URI") ?? "https://app.launchdarkly.com",
    validateBodyLimitBytes: int(env, "STRUCTREG_VALIDATE_BODY_LIMIT", 16 * 1024 * 1024, 1024, 1024 ** 3),
    maxOutputBytes: int(env, "STRUCTREG_MAX_OUTPUT_BYTES", 1024 * 1024, 1024, 256 * 1024 * 1024),
    fallbackVersions: int(env, "STRUCTREG_FALLBACK_VERSIONS", 5, 0, 100),
    versionCacheTtlMs: int(env, "STRUCTREG_VERSION_CACHE_TTL_MS", 1000, 0, 3_600_000),
    quarantineMaxPerSubject: int(env, "STRUCTREG_QUARANTINE_MAX_PER_SUBJECT", 10_000, 1, 10_000_000),
    quarantineMaxAgeDays: int(env, "STRUCTREG_QUARANTINE_MAX_AGE_DAYS", 30, 1, 3650),
    quarantineMaxRawBytes: int(env, "STRUCTREG_QUARANTINE_MAX_RAW_BYTES", 256 * 1024, 256, 64 * 1024 * 1024),
    openai: readOpenAIConfig(env),
    edge: readEdgeConfig(env),
  };
  if (config.databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(config.databaseUrl)) {
    throw invalid("DATABASE_URL", "(redacted)", "a postgres:// or postgresql:// URL");
  }
  return config;
}

/** Parses `name:secret:scope[+scope],…`. Secrets are never echoed in errors. */
export function parseTokens(raw: string | undefined): TokenConfig[] {
  if (raw === undefined || raw.trim() === "") return [];
  const tokens = raw.split(",").map((entry, i) => {
    const [name, secret, scopeList, ...rest] = entry.trim().split(":");
    if (!name || !secret || !scopeList || rest.length > 0) {
      throw invalid(
        "STRUCTREG_TOKENS",
        `entry ${i + 1}`,
        "name:secret:scope[+scope] (scopes read, validate, write, admin)",
      );
    }
    if (secret.length < 16) {
      throw new StructregError(
        "SR_CONFIG_INVALID",
        `STRUCTREG_TOKENS: the secret of token "${name}" is too short`,
        {
          hint: "use at least 16 characters, e.g. `openssl rand -hex 24`",
        },
      );
    }
    const scopes = scopeList.split("+");
    for (const scope of scopes) {
      if (!(SCOPES as readonly string[]).includes(scope)) {
        throw invalid("STRUCTREG_TOKENS", `scope "${scope}" of token "${name}"`, SCOPES.join(", "));
      }
    }
    return { name, secret, scopes: scopes as TokenConfig["scopes"] };
  });
  const names = new Set(tokens.map((t) => t.name));
  if (names.size !== tokens.length) {
    throw new StructregError("SR_CONFIG_INVALID", "STRUCTREG_TOKENS: token names must be unique");
  }
  return tokens;
}

function accessLog(env: Record<string, string | undefined>): AccessLogOptions {
  const mode = nonEmpty(env.STRUCTREG_ACCESS_LOG)?.toLowerCase() ?? "all";
  if (mode !== "all" && mode !== "errors") throw invalid("STRUCTREG_ACCESS_LOG", mode, "all or errors");
  const rawSample = nonEmpty(env.STRUCTREG_ACCESS_LOG_SAMPLE);
  const sample = Number(rawSample ?? 1);
  if (rawSample !== undefined && (!/^(0|1|0?\.\d+|1\.0*)$/.test(rawSample) || sample > 1)) {
    throw invalid("STRUCTREG_ACCESS_LOG_SAMPLE", rawSample, "a number from 0 to 1");
  }
  return { mode, sample, slowMs: int(env, "STRUCTREG_SLOW_REQUEST_MS", 1000, 1, 3_600_000) };
}

/** Flag keys allow letters, digits, `.`, `_` and `-`; the prefix may be empty. */
function flagKeyPrefix(raw: string | undefined): string {
  if (raw === undefined) return "structreg.";
  if (!/^[A-Za-z0-9._-]{0,100}$/.test(raw)) {
    throw invalid("STRUCTREG_FLAG_KEY_PREFIX", raw, "letters, digits, '.', '_' or '-' (up to 100)");
  }
  return raw;
}

function httpUrl(env: Record<string, string | undefined>, name: string): string | undefined {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return undefined;
  if (!/^https?:\/\/[^\s]+$/.test(raw)) throw invalid(name, raw, "an http(s) URL");
  return raw;
}

function bool(env: Record<string, string | undefined>, name: string, fallback: boolean): boolean {
  const raw = nonEmpty(env[name])?.toLowerCase();
  if (raw === undefined) return fallback;
  if (["1", "true", "yes", "on"].includes(raw)) return true;
  if (["0", "false", "no", "off"].includes(raw)) return false;
  throw invalid(name, raw, "true or false");
}
