import type { FastifyInstance, FastifyRequest } from "fastify";
import { StructregError } from "../core/errors.js";
import { ACCEPTED_CONTENT_TYPES, CONTENT_TYPE_HINT } from "./content-types.js";
import { type AllowedHosts, createHostCheck } from "./host-check.js";

/** A header a caller may send instead of a JSON Content-Type on a body-less state change. */
export const REQUEST_HEADER = "x-structreg-request";

/** Methods that change state and that a cross-site page could send without a CORS preflight. */
const SIMPLE_WRITE_METHODS = new Set(["POST", "PUT", "PATCH"]);

/**
 * A POST, PUT or PATCH to a route must carry a JSON Content-Type or `X-Structreg-Request`, else
 * SR_UNSUPPORTED_MEDIA_TYPE. A cross-site page can only send "simple" requests (form or text bodies, no
 * custom header) without a CORS preflight, and structreg grants no CORS: so no page on another origin can
 * change state, not even with a body-less rollback. DELETE always needs a preflight, which fails here (no
 * `Access-Control-Allow-*` header is ever sent): registry clients may keep sending it without a body.
 */
export function csrfRefusal(request: FastifyRequest): StructregError | undefined {
  if (!SIMPLE_WRITE_METHODS.has(request.method) || request.headers[REQUEST_HEADER] !== undefined)
    return undefined;
  const type = request.headers["content-type"];
  // PERFORMANCE: clients send one of the types exactly; parse parameters and case only otherwise.
  if (type !== undefined && (ACCEPTED.has(type) || ACCEPTED.has(mediaType(type)))) return undefined;
  // An unknown route answers 404 as such (`routeOptions` is a getter building an object: read it last).
  if (request.routeOptions.url === undefined) return undefined;
  return new StructregError(
    "SR_UNSUPPORTED_MEDIA_TYPE",
    `Unsupported Content-Type: ${(type ?? "none").slice(0, 100)}`,
    {
      hint:
        type === undefined
          ? `${CONTENT_TYPE_HINT} (also without a body), or ${REQUEST_HEADER}: 1`
          : CONTENT_TYPE_HINT,
    },
  );
}

const ACCEPTED: ReadonlySet<string> = new Set(ACCEPTED_CONTENT_TYPES);

function mediaType(type: string): string {
  return type.split(";", 1)[0]?.trim().toLowerCase() ?? "";
}

/**
 * One synchronous onRequest hook for the edge checks that hold with or without tokens: `Host` against the
 * allow-list (DNS rebinding) and the CSRF rule above. One hook, as each costs a call on every request.
 */
export function registerEdgeGuards(app: FastifyInstance, allowedHosts: AllowedHosts): void {
  const hostRefusal = createHostCheck(allowedHosts);
  app.addHook("onRequest", (request, _reply, done) => {
    done(hostRefusal?.(request) ?? csrfRefusal(request));
  });
}
