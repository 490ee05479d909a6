/**
 * Console sign-in. With tokens configured, a person pastes a token once; the server keeps the matched
 * token in memory under a random session id and sends only that id, in an HttpOnly, SameSite=Strict cookie.
 * The secret itself never travels again and never appears in a URL or a log line.
 */
import { randomBytes } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { type HttpToken, hasScope, type Scope } from "../http/auth.js";

/** Name of the session cookie. */
export const SESSION_COOKIE = "structreg_console";
/** Sessions kept at most (oldest dropped first). */
export const MAX_SESSIONS = 1000;
/** A session lasts this long after sign-in. */
export const SESSION_TTL_MS = 8 * 3_600_000;

/** Who is using the console: a token (name and scopes) or, without tokens, anyone (every scope). */
export interface ConsoleUser {
  name: string;
  scopes: readonly Scope[];
  /** False when the server has no tokens (no sign-in, no sign-out). */
  signedIn: boolean;
}

/** Without tokens the API asks nothing of its callers: the console neither. */
export const OPEN_USER: ConsoleUser = { name: "console", scopes: ["admin"], signedIn: false };

/** True when the user may do what needs `scope`. */
export function may(user: ConsoleUser, scope: Scope): boolean {
  return hasScope(user.scopes, scope);
}

interface Session {
  token: HttpToken;
  expiresAt: number;
}

/** Sessions in memory: bounded, expiring; a restart signs everyone out. */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly nowMs: () => number = Date.now) {}

  create(token: HttpToken): string {
    const id = randomBytes(32).toString("base64url");
    if (this.sessions.size >= MAX_SESSIONS) {
      const oldest = this.sessions.keys().next().value;
      if (oldest !== undefined) this.sessions.delete(oldest);
    }
    this.sessions.set(id, { token, expiresAt: this.nowMs() + SESSION_TTL_MS });
    return id;
  }

  get(id: string | undefined): HttpToken | undefined {
    if (id === undefined) return undefined;
    const session = this.sessions.get(id);
    if (session === undefined) return undefined;
    if (session.expiresAt <= this.nowMs()) {
      this.sessions.delete(id);
      return undefined;
    }
    return session.token;
  }

  delete(id: string | undefined): void {
    if (id !== undefined) this.sessions.delete(id);
  }
}

/** The value of one cookie in a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Sets (or with `id` undefined, clears) the session cookie. */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, id: string | undefined): void {
  const secure = request.protocol === "https" ? "; Secure" : "";
  const value = id ?? "";
  const age = id === undefined ? 0 : Math.floor(SESSION_TTL_MS / 1000);
  reply.header(
    "set-cookie",
    `${SESSION_COOKIE}=${value}; Path=/ui; HttpOnly; SameSite=Strict; Max-Age=${age}${secure}`,
  );
}

/** The session id the request carries. */
export function sessionId(request: FastifyRequest): string | undefined {
  return readCookie(request.headers.cookie, SESSION_COOKIE);
}
