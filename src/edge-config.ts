import { type Env, int, invalid, nonEmpty } from "./env-values.js";
import { DEFAULT_HTTP_TIMEOUTS, type HttpTimeouts } from "./http/timeouts.js";

/** HTTP edge settings: which `Host` names are answered, slow-client timeouts, connection limits. */
export interface EdgeConfig {
  /** `Host` names answered; undefined: the default (loopback names and HOST without tokens, any with). */
  allowedHosts: string[] | undefined;
  timeouts: HttpTimeouts;
}

/** The edge's environment variables (rendered in README's configuration table). */
export const EDGE_CONFIG_VARIABLES = [
  {
    name: "STRUCTREG_ALLOWED_HOSTS",
    default: "(loopback names + HOST without tokens; any with tokens)",
    description:
      "`Host` names answered, comma-separated (`*`: any); other names get 403 SR_HOST_NOT_ALLOWED (DNS rebinding). Probes are exempt.",
  },
  {
    name: "STRUCTREG_REQUEST_TIMEOUT_MS",
    default: "60000",
    description: "Whole request (headers and body) received within this, else 408 and the connection closed.",
  },
  {
    name: "STRUCTREG_HEADERS_TIMEOUT_MS",
    default: "10000",
    description: "Request headers received within this (capped at the request timeout).",
  },
  {
    name: "STRUCTREG_KEEP_ALIVE_TIMEOUT_MS",
    default: "72000",
    description:
      "Idle keep-alive connections closed after this (keep it above a load balancer's idle timeout).",
  },
  {
    name: "STRUCTREG_CONNECTION_TIMEOUT_MS",
    default: "120000",
    description:
      "A connection with no traffic either way (e.g. a client that stopped reading) is closed after this.",
  },
  {
    name: "STRUCTREG_MAX_CONNECTIONS",
    default: "1024",
    description: "Open connections per process; further ones are closed at once (0 = no limit).",
  },
  {
    name: "STRUCTREG_MAX_REQUESTS_PER_SOCKET",
    default: "0",
    description: "Requests served on one keep-alive connection before it is closed (0 = no limit).",
  },
] as const;

const D = DEFAULT_HTTP_TIMEOUTS;
const HOUR_MS = 3_600_000;

/** Reads and validates the edge variables; throws SR_CONFIG_INVALID naming the variable at fault. */
export function readEdgeConfig(env: Env): EdgeConfig {
  return {
    allowedHosts: allowedHosts(env.STRUCTREG_ALLOWED_HOSTS),
    timeouts: {
      requestTimeoutMs: int(env, "STRUCTREG_REQUEST_TIMEOUT_MS", D.requestTimeoutMs, 100, HOUR_MS),
      headersTimeoutMs: int(env, "STRUCTREG_HEADERS_TIMEOUT_MS", D.headersTimeoutMs, 100, HOUR_MS),
      keepAliveTimeoutMs: int(env, "STRUCTREG_KEEP_ALIVE_TIMEOUT_MS", D.keepAliveTimeoutMs, 100, HOUR_MS),
      connectionTimeoutMs: int(env, "STRUCTREG_CONNECTION_TIMEOUT_MS", D.connectionTimeoutMs, 100, HOUR_MS),
      maxConnections: int(env, "STRUCTREG_MAX_CONNECTIONS", D.maxConnections, 0, 1_000_000),
      maxRequestsPerSocket: int(
        env,
        "STRUCTREG_MAX_REQUESTS_PER_SOCKET",
        D.maxRequestsPerSocket,
        0,
        1_000_000,
      ),
    },
  };
}

function allowedHosts(raw: string | undefined): string[] | undefined {
  const value = nonEmpty(raw);
  if (value === undefined) return undefined;
  const names = value.split(",").map((name) => name.trim().toLowerCase());
  if (names.some((name) => !/^(\*|[a-z0-9.:[\]_-]{1,253})$/.test(name))) {
    throw invalid("STRUCTREG_ALLOWED_HOSTS", value.slice(0, 200), "host names separated by commas, or *");
  }
  return names;
}
