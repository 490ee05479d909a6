import type { FastifyRequest } from "fastify";
import { StructregError } from "../core/errors.js";

/** Host names every loopback server answers to (a browser on the machine may use any of them). */
export const LOOPBACK_HOST_NAMES = ["localhost", "127.0.0.1", "::1"] as const;

/** The allow-list of `Host` names: `"*"` alone turns the check off. */
export type AllowedHosts = readonly string[];

/**
 * The default allow-list: without tokens, loopback names plus the bound host (a page on another origin
 * that rebinds its DNS name to 127.0.0.1 still sends its own name as `Host`); with tokens, any host
 * (a browser does not hold the bearer secret, so a rebound page cannot authenticate).
 */
export function defaultAllowedHosts(boundHost: string, secured: boolean): AllowedHosts {
  if (secured) return ["*"];
  return [...new Set([...LOOPBACK_HOST_NAMES, hostName(boundHost)])];
}

/** The name part of a `Host` header or bind address: lower case, without port or IPv6 brackets. */
export function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith("[")) return h.slice(1, h.indexOf("]") > 0 ? h.indexOf("]") : undefined);
  // A bare IPv6 address has several colons and no port.
  if (h.indexOf(":") !== h.lastIndexOf(":")) return h;
  const colon = h.indexOf(":");
  return (colon < 0 ? h : h.slice(0, colon)).replace(/\.$/, "");
}

/** Longest `Host` value echoed in an error message. */
const MAX_ECHO = 100;

/**
 * A check of `Host` against the allow-list (undefined when the list is `"*"`): answers SR_HOST_NOT_ALLOWED
 * for another name (DNS rebinding). The probes (`scope: "none"`) are exempt: they reveal nothing and
 * orchestrators probe by pod address. A request without `Host` (HTTP/1.0) passes: browsers always send one.
 */
export function createHostCheck(
  allowed: AllowedHosts,
): ((request: FastifyRequest) => StructregError | undefined) | undefined {
  if (allowed.includes("*")) return undefined;
  const names = new Set(allowed.map(hostName));
  // PERFORMANCE: clients send the same few Host values; remember the allowed raw values (bounded).
  const seen = new Set<string>();
  const allowedHost = (host: string): boolean => {
    if (seen.has(host)) return true;
    if (!names.has(hostName(host))) return false;
    if (seen.size < MAX_REMEMBERED) seen.add(host);
    return true;
  };
  return (request) => {
    const host = request.headers.host;
    if (host === undefined || allowedHost(host) || request.routeOptions.config.scope === "none")
      return undefined;
    return refusal(host);
  };
}

/** Allowed raw `Host` values remembered (names with ports). */
const MAX_REMEMBERED = 64;

function refusal(host: string): StructregError {
  return new StructregError(
    "SR_HOST_NOT_ALLOWED",
    `Host ${JSON.stringify(host.slice(0, MAX_ECHO))} is not allowed`,
    {
      hint: "call the server by an allowed name (STRUCTREG_ALLOWED_HOSTS), e.g. 127.0.0.1 or localhost",
    },
  );
}
