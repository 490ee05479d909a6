import type { FastifyInstance, FastifyServerOptions } from "fastify";

/** How long the server waits for slow or idle clients, and how many it serves at once. */
export interface HttpTimeouts {
  /** Whole request (headers and body) received within this, else 408 and the socket is closed. */
  requestTimeoutMs: number;
  /** Request headers received within this (at most `requestTimeoutMs`). */
  headersTimeoutMs: number;
  /** Idle keep-alive sockets closed after this. */
  keepAliveTimeoutMs: number;
  /** A socket with no traffic either way (e.g. a client that stopped reading) is destroyed after this. */
  connectionTimeoutMs: number;
  /** Open connections at most; further ones are closed at once (0 = no limit). */
  maxConnections: number;
  /** Requests served on one keep-alive socket before it is closed (0 = no limit). */
  maxRequestsPerSocket: number;
}

/** Defaults: a request within 60 s, its headers within 10 s; 1024 connections. */
export const DEFAULT_HTTP_TIMEOUTS: Readonly<HttpTimeouts> = {
  requestTimeoutMs: 60_000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 72_000,
  connectionTimeoutMs: 120_000,
  maxConnections: 1024,
  maxRequestsPerSocket: 0,
};

/** Node checks the header and request timeouts every this often (its default, 30 s, would blur short ones). */
function checkingIntervalMs(t: HttpTimeouts): number {
  return Math.max(10, Math.min(30_000, Math.floor(Math.min(t.headersTimeoutMs, t.requestTimeoutMs) / 4)));
}

/** The Fastify constructor options carrying the timeouts. */
export function timeoutServerOptions(t: HttpTimeouts): Pick<
  FastifyServerOptions,
  "requestTimeout" | "connectionTimeout" | "keepAliveTimeout" | "maxRequestsPerSocket"
> & {
  http: { headersTimeout: number; requestTimeout: number; connectionsCheckingInterval: number };
} {
  const headersTimeout = Math.min(t.headersTimeoutMs, t.requestTimeoutMs);
  return {
    requestTimeout: t.requestTimeoutMs,
    connectionTimeout: t.connectionTimeoutMs,
    keepAliveTimeout: t.keepAliveTimeoutMs,
    maxRequestsPerSocket: t.maxRequestsPerSocket,
    http: {
      headersTimeout,
      requestTimeout: t.requestTimeoutMs,
      connectionsCheckingInterval: checkingIntervalMs(t),
    },
  };
}

/** Applies what the constructor options cannot carry (the connection cap) to the app's server. */
export function applyConnectionLimit(app: FastifyInstance, t: HttpTimeouts): void {
  if (t.maxConnections > 0) app.server.maxConnections = t.maxConnections;
}
