/**
 * Server-side rendering with Eta: templates in src/ui/views, compiled once and cached, auto-escaping on
 * (`<%= %>` escapes & < > " '). Templates never print request or stored data with the raw tag `<%~ %>`;
 * it is used only to include other templates' already escaped output.
 */
import { join } from "node:path";
import { Eta } from "eta";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { AssetUrls } from "./assets.js";
import { type ConsoleUser, may } from "./session.js";
import { consoleSourceDir } from "./source-dir.js";

/** What every page's layout needs. */
export interface LayoutData {
  title: string;
  /** Which nav entry is current. */
  section?: string;
  subject?: string;
}

/** The renderer handed to every page handler. */
export interface Renderer {
  /** A full page (layout around `view`), or only `view` for an htmx request that targets part of a page. */
  page(
    request: FastifyRequest,
    reply: FastifyReply,
    view: string,
    layout: LayoutData,
    data: object,
  ): FastifyReply;
  /** A fragment alone (htmx swaps). */
  fragment(reply: FastifyReply, view: string, data: object): FastifyReply;
  /** Renders a template to a string. */
  render(view: string, data: object): string;
}

/** True for a request made by htmx (not a boosted navigation, which wants a full page). */
export function isHtmx(request: FastifyRequest): boolean {
  return request.headers["hx-request"] === "true" && request.headers["hx-boosted"] !== "true";
}

/** Creates the renderer over the console's templates. */
export function createRenderer(assets: AssetUrls, options: { cache?: boolean } = {}): Renderer {
  const eta = new Eta({
    views: join(consoleSourceDir(), "views"),
    autoEscape: true,
    cache: options.cache ?? true,
    autoTrim: [false, "nl"],
  });
  const render = (view: string, data: object): string => eta.render(view, data);
  const withHelpers = (user: ConsoleUser | undefined, data: object) => ({
    ...data,
    user,
    can: (scope: "read" | "write" | "admin") => user !== undefined && may(user, scope),
    enc: encodeURIComponent,
  });
  return {
    render,
    page(request, reply, view, layout, data) {
      const full = withHelpers(request.consoleUser, data);
      const body = render(view, full);
      const html = isHtmx(request) ? body : render("layout", { ...full, ...layout, assets, body });
      return reply.type("text/html; charset=utf-8").send(html);
    },
    fragment(reply, view, data) {
      const html = render(view, withHelpers(reply.request.consoleUser, data));
      return reply.type("text/html; charset=utf-8").send(html);
    },
  };
}
