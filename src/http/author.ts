import type { FastifyRequest } from "fastify";
import { type ChangeAuthor, LOCAL_AUTHOR, MAX_REASON_CHARS } from "../app/registry-events.js";
import { authenticatedToken, SCOPES, type Scope } from "./auth.js";

/** Header carrying the reason of a registry change (registration, state change, delete, config change). */
export const REASON_HEADER = "x-structreg-reason";

/** The token's strongest scope (admin ⊃ write ⊃ validate ⊃ read). */
export function strongestScope(scopes: readonly Scope[]): Scope | null {
  return [...SCOPES].reverse().find((scope) => scopes.includes(scope)) ?? null;
}

/**
 * Who makes a registry change: the request's token (name and strongest scope; it cannot be spoofed), else
 * "local" (a server without tokens); with the reason from the X-Structreg-Reason header, when given.
 */
export function authorOf(request: FastifyRequest): ChangeAuthor {
  const token = authenticatedToken(request);
  const header = request.headers[REASON_HEADER];
  const reason = typeof header === "string" ? header.slice(0, MAX_REASON_CHARS) : null;
  const who = token === undefined ? LOCAL_AUTHOR : { who: token.name, scope: strongestScope(token.scopes) };
  return { ...who, reason };
}
