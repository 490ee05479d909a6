import type { ErrorCode } from "../core/errors.js";
import type { Scope } from "./auth.js";

/** Per-route settings read by the hooks and the error handler (`config` in a route's options). */
export interface StructregRouteConfig {
  /** Scope a bearer token needs; "none" for probes. Routes without one need "read". */
  scope?: Scope | "none";
  /** Answer with `application/json` instead of Confluent's media type (raw schemas, metrics). */
  rawJson?: boolean;
  /**
   * Error code for a body validation failure at a JSON Pointer (a missing property counts as its own
   * pointer), e.g. Confluent answers 42201 when `schema` is missing or not a string.
   */
  bodyErrorCodes?: Readonly<Record<string, ErrorCode>>;
}

declare module "fastify" {
  interface FastifyContextConfig extends StructregRouteConfig {}
}
