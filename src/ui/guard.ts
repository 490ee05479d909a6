/**
 * The console's access checks, run before every console route: cross-site protection on every state
 * change, then the sign-in session and the route's scope (the same scopes the REST routes need).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { StructregError } from "../core/errors.js";
import { createTokenMatcher, type HttpToken } from "../http/auth.js";
import type { Renderer } from "./render.js";
import { isHtmx } from "./render.js";
import { type ConsoleUser, may, OPEN_USER, SessionStore, sessionId, setSessionCookie } from "./session.js";
import { SignInLimiter } from "./sign-in-limiter.js";

/** Header every console state change carries (htmx sends it through hx-headers on <body>). */
export const CONSOLE_REQUEST_HEADER = "x-structreg-request";

/**
 * Refuses a state change that a cross-site page could have sent: a browser lets another site post a form
 * but not set a custom header without a CORS preflight (which this server never grants), and SameSite=Strict
 * keeps the session cookie off cross-site requests anyway.
 */
export function checkSameSite(request: FastifyRequest): void {
  if (request.method === "GET" || request.method === "HEAD") return;
  const origin = request.headers.origin;
  const host = request.headers.host;
  // An opaque ("null") or malformed Origin never matches: refused like another site.
  const crossOrigin = origin !== undefined && originHost(origin) !== host;
  if (request.headers[CONSOLE_REQUEST_HEADER] !== "console" || crossOrigin) {
    throw new StructregError("SR_FORBIDDEN", "Cross-site or non-console request refused", {
      hint: `console actions must come from the console's own pages (header ${CONSOLE_REQUEST_HEADER}: console)`,
    });
  }
}

/** The host of an Origin header; undefined for "null" or a malformed one (never equal to a Host). */
function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

function loginUrl(request: FastifyRequest): string {
  const next = request.method === "GET" && !isHtmx(request) ? request.url : "/ui/";
  return `/ui/login?next=${encodeURIComponent(next)}`;
}

function userOf(token: HttpToken | undefined): ConsoleUser | undefined {
  return token === undefined ? undefined : { name: token.name, scopes: token.scopes, signedIn: true };
}

/** Installs the guard and the sign-in routes. */
export function installGuard(
  app: FastifyInstance,
  tokens: readonly HttpToken[],
  renderer: Renderer,
  limiter: SignInLimiter = new SignInLimiter(),
): void {
  const sessions = new SessionStore();
  // preParsing, not onRequest: it still runs before any body is read, and leaves the API's routes (which
  // have no onRequest hook without tokens) alone.
  app.addHook("preParsing", async (request: FastifyRequest, reply: FastifyReply, payload) => {
    checkSameSite(request);
    request.consoleUser = tokens.length === 0 ? OPEN_USER : userOf(sessions.get(sessionId(request)));
    const needed = request.routeOptions.config.consoleScope ?? "read";
    if (needed === "none") return payload;
    const user = request.consoleUser;
    if (user === undefined) {
      // Answered here; Fastify stops the request once a reply is sent from a hook.
      if (isHtmx(request)) reply.code(204).header("hx-redirect", loginUrl(request)).send();
      else if (request.method === "GET") reply.redirect(loginUrl(request), 303);
      else
        throw new StructregError("SR_UNAUTHORIZED", "Sign in to the console first", {
          hint: "open /ui/login",
        });
      return payload;
    }
    if (!may(user, needed)) {
      throw new StructregError("SR_FORBIDDEN", `Token "${user.name}" lacks the "${needed}" scope`, {
        hint: `sign in with a token that has the "${needed}" scope`,
      });
    }
    return payload;
  });
  registerSignIn(app, { tokens, sessions, renderer, limiter });
}

/** GET|POST /ui/login and POST /ui/logout. */
function registerSignIn(
  app: FastifyInstance,
  {
    tokens,
    sessions,
    renderer,
    limiter,
  }: { tokens: readonly HttpToken[]; sessions: SessionStore; renderer: Renderer; limiter: SignInLimiter },
): void {
  const match = createTokenMatcher(tokens);
  const none = { consoleScope: "none", scope: "none" } as const;
  app.get<{ Querystring: { next?: string } }>("/login", { config: none }, async (request, reply) =>
    renderer.page(request, reply, "login", { title: "Sign in" }, { next: safeNext(request.query.next) }),
  );
  app.post<{ Body: { token?: unknown; next?: unknown } }>(
    "/login",
    { config: none },
    async (request, reply) => {
      // Counted before the token is compared: a throttled guess is never checked.
      limiter.take(request.ip);
      const secret = typeof request.body?.token === "string" ? request.body.token.trim() : "";
      const token = tokens.length === 0 || secret === "" ? undefined : match(secret);
      if (token === undefined) {
        throw new StructregError("SR_UNAUTHORIZED", "Unknown token", {
          hint: "paste a token from STRUCTREG_TOKENS",
        });
      }
      setSessionCookie(request, reply, sessions.create(token));
      return reply.header("hx-redirect", safeNext(request.body?.next)).code(204).send();
    },
  );
  app.post("/logout", { config: none }, async (request, reply) => {
    sessions.delete(sessionId(request));
    setSessionCookie(request, reply, undefined);
    return reply.header("hx-redirect", "/ui/login").code(204).send();
  });
}

/** Only console paths are followed after sign-in (no open redirect: no "//", no backslash, no scheme). */
export function safeNext(next: unknown): string {
  const ok =
    typeof next === "string" &&
    next.length <= 2000 &&
    next.startsWith("/ui/") &&
    !next.includes("//") &&
    !next.includes("\\");
  return ok ? next : "/ui/";
}
