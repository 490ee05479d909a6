import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { StructregError } from "../core/errors.js";
import { toStructregError } from "../http/error-handler.js";
import { isHtmx, type Renderer } from "./render.js";

/** The parts of an error a page shows: code, message, hint, and the issues of a refused input. */
export function errorView(err: StructregError) {
  const issues = err.details?.issues;
  return {
    code: err.code,
    message: err.message,
    hint: err.hint ?? null,
    issues: Array.isArray(issues) ? (issues as Array<{ path?: string; message?: string }>).slice(0, 20) : [],
  };
}

function sendConsoleError(renderer: Renderer, request: FastifyRequest, reply: FastifyReply, error: unknown) {
  const err = toStructregError(error, request);
  reply.code(err.status);
  const retryAfterMs = err.details?.retryAfterMs;
  if (typeof retryAfterMs === "number" && Number.isFinite(retryAfterMs)) {
    reply.header("retry-after", String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
  }
  if (isHtmx(request)) {
    // htmx swaps error answers too (see the htmx-config meta tag): into the page's alert region.
    reply.header("hx-retarget", "#flash").header("hx-reswap", "innerHTML");
    return renderer.fragment(reply, "error", { error: errorView(err) });
  }
  return renderer.page(request, reply, "error", { title: err.code }, { error: errorView(err) });
}

/** Console errors are pages (or fragments for htmx) showing the SR_ code, message and hint. */
export function installConsoleErrors(app: FastifyInstance, renderer: Renderer): void {
  app.setErrorHandler((error, request, reply) => sendConsoleError(renderer, request, reply, error));
  app.setNotFoundHandler((request, reply) =>
    sendConsoleError(
      renderer,
      request,
      reply,
      new StructregError("SR_ROUTE_NOT_FOUND", "No such console page", { hint: "start at /ui/" }),
    ),
  );
}
