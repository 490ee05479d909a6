/**
 * The web console: server-rendered pages under /ui, served by the API's own Fastify app. Page handlers
 * call the same app services the REST routes call (never an adapter), with the same scopes.
 */
import { Ajv } from "ajv";
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { invalidSubjectName } from "../app/registry-rules.js";
import type { SubjectSummaries } from "../app/subject-summary.js";
import { SUBJECT_NAME } from "../core/model.js";
import type { HttpToken, Scope } from "../http/auth.js";
import { subjectSummaryRoutes } from "../http/routes/subject-summary.js";
import { loadAssets, registerAssets } from "./assets.js";
import type { ConsoleContext, ConsoleDeps } from "./deps.js";
import { installConsoleErrors } from "./errors.js";
import { installGuard } from "./guard.js";
import { CONSOLE_HEADERS } from "./headers.js";
import { CONSOLE_PAGES } from "./pages/index.js";
import { createRenderer } from "./render.js";
import type { ConsoleUser } from "./session.js";
import { createSummaries } from "./summaries.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /** Scope a console page or action needs ("none": sign-in page and assets). Default "read". */
    consoleScope?: Scope | "none";
  }
  interface FastifyRequest {
    /** The console's user (set by the console's guard; undefined before sign-in). */
    consoleUser: ConsoleUser | undefined;
  }
}

/** True when a request for `/` comes from a browser (it prefers HTML over JSON). */
export function wantsHtml(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  const html = accept.indexOf("text/html");
  const json = accept.search(/application\/(vnd\.schemaregistry(\.v1)?\+)?json/);
  return html >= 0 && (json < 0 || html < json);
}

async function redirectBrowsers(
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply | undefined> {
  if (request.method === "GET" && request.url === "/" && wantsHtml(request.headers.accept)) {
    return reply.redirect("/ui/", 302);
  }
  return undefined;
}

/**
 * Sends browsers asking for `/` to the console; JSON clients still get Confluent's `{}`. Without tokens the
 * GET / handler is wrapped (no hook is added to any route: the API's hot path stays hook-free); with tokens
 * an onRequest hook is added before the token hook, so a browser is redirected to the sign-in page
 * instead of answered 401.
 */
export function registerConsoleRedirect(app: FastifyInstance, tokens: readonly HttpToken[]): void {
  if (tokens.length > 0) {
    // Synchronous (done-style) and a string compare for every other URL: no promise per API request.
    app.addHook("onRequest", function redirectBrowsersHook(request, reply, done) {
      if (request.url !== "/" || request.method !== "GET" || !wantsHtml(request.headers.accept))
        return done();
      reply.redirect("/ui/", 302);
    });
    return;
  }
  app.addHook("onRoute", (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (route.url !== "/" || !methods.includes("GET")) return;
    const original = route.handler;
    route.handler = async function (this: FastifyInstance, request, reply) {
      return (await redirectBrowsers(request, reply)) ?? original.call(this, request, reply);
    };
  });
}

const consolePlugin: FastifyPluginAsync<ConsoleDeps & { summaries: SubjectSummaries }> = async (
  app,
  deps,
) => {
  app.addHook("onSend", (_request, reply, payload, done) => {
    reply.headers(CONSOLE_HEADERS);
    done(null, payload);
  });
  // Console routes are guarded by the console's session (installGuard), not by the API's bearer hook, and
  // stay out of the OpenAPI document (they are pages, not API).
  app.addHook("onRoute", (route) => {
    route.config = { ...route.config, scope: "none" };
    route.schema = { ...route.schema, hide: true };
  });
  // Form fields arrive as strings: coerce them to the types a route's schema names.
  const ajv = new Ajv({ coerceTypes: true, useDefaults: true, removeAdditional: true, strict: false });
  app.setValidatorCompiler(({ schema }) => ajv.compile(schema));
  const { urls, byFile } = loadAssets();
  const renderer = createRenderer(urls);
  app.decorateRequest("consoleUser", undefined);
  installConsoleErrors(app, renderer);
  installGuard(app, deps.tokens, renderer);
  // The API's rule for a subject in a path (SR_INVALID_SUBJECT_NAME before any store call): a NUL or an
  // impossible name never reaches a service, whose store would answer a driver error.
  app.addHook("preValidation", (request, _reply, done) => {
    const subject = (request.params as { subject?: unknown } | undefined)?.subject;
    if (typeof subject === "string" && !SUBJECT_NAME.test(subject)) done(invalidSubjectName(subject));
    else done();
  });
  registerAssets(app, byFile);
  // `deps` holds the `prefix` this plugin was registered with: the pages must not get it a second time.
  const { prefix: _prefix, ...rest } = deps as typeof deps & { prefix?: string };
  const context: ConsoleContext = { ...rest, renderer };
  for (const page of CONSOLE_PAGES) await app.register(page, context);
};

/** Registers the console under /ui and the REST endpoints it needs that the API lacked. */
export async function registerConsole(
  app: FastifyInstance,
  deps: Omit<ConsoleDeps, "tokens"> & { tokens?: readonly HttpToken[] },
): Promise<void> {
  const full: ConsoleDeps = { ...deps, tokens: deps.tokens ?? [] };
  const { summaries, stop } = createSummaries(full);
  app.addHook("onClose", async () => stop());
  await app.register(subjectSummaryRoutes, { summaries });
  await app.register(consolePlugin, { ...full, summaries, prefix: "/ui" });
}
