import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { StructregError } from "../core/errors.js";

/**
 * Token scopes, weakest first: admin ⊃ write ⊃ validate ⊃ read. `validate` lets validate-and-parse
 * quarantine failures and feed the rollout guard; with `read` alone a validate call is a dry run.
 */
export const SCOPES = ["read", "validate", "write", "admin"] as const;
/** What a bearer token may do. */
export type Scope = (typeof SCOPES)[number];

/** A configured API token. */
export interface HttpToken {
  name: string;
  secret: string;
  scopes: Scope[];
}

/** Value of `WWW-Authenticate` on 401 answers. */
export const WWW_AUTHENTICATE = 'Bearer realm="structreg"';

const RANK: Record<Scope, number> = { read: 1, validate: 2, write: 3, admin: 4 };

/** The token each authenticated request was served for (requests of a server without tokens have none). */
const AUTHENTICATED = new WeakMap<FastifyRequest, HttpToken>();

/** The token a request was authenticated with; undefined when the server has no tokens (or the route needs none). */
export function authenticatedToken(request: FastifyRequest): HttpToken | undefined {
  return AUTHENTICATED.get(request);
}

/** True when the granted scopes include `needed` (admin ⊃ write ⊃ validate ⊃ read). */
export function hasScope(granted: readonly Scope[], needed: Scope): boolean {
  return granted.some((scope) => RANK[scope] >= RANK[needed]);
}

/** The secret of an `Authorization: Bearer <secret>` header, or undefined. */
export function parseBearer(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1];
}

function digest(secret: string): Buffer {
  return createHash("sha256").update(secret, "utf8").digest();
}

/**
 * Builds a matcher from secrets to tokens. Both sides are hashed first so the comparison has a fixed
 * length, and every token is compared so the time taken does not reveal which one (if any) matched.
 */
export function createTokenMatcher(tokens: readonly HttpToken[]): (secret: string) => HttpToken | undefined {
  validateTokens(tokens);
  const digests = tokens.map((token) => ({ token, digest: digest(token.secret) }));
  return (secret) => {
    const presented = digest(secret);
    let found: HttpToken | undefined;
    for (const entry of digests) {
      if (timingSafeEqual(entry.digest, presented) && found === undefined) found = entry.token;
    }
    return found;
  };
}

function validateTokens(tokens: readonly HttpToken[]): void {
  for (const token of tokens) {
    const badScope = token.scopes.find((scope) => !(SCOPES as readonly string[]).includes(scope));
    if (token.secret.length === 0 || /\s/.test(token.secret) || badScope !== undefined) {
      // Never put the secret in the message: messages end up in logs.
      throw new StructregError("SR_CONFIG_INVALID", `Token "${token.name}" is invalid`, {
        hint: "secrets must be non-empty without whitespace; scopes are read, validate, write, admin",
      });
    }
  }
}

/**
 * An onRequest hook enforcing bearer tokens: every route needs a token with the route's scope
 * (`config.scope`, default "read"), except routes marked `scope: "none"`. A no-op without tokens.
 */
export function createAuthHook(
  tokens: readonly HttpToken[],
): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  const match = createTokenMatcher(tokens);
  return async (request) => {
    if (tokens.length === 0) return;
    const needed = request.routeOptions.config.scope ?? "read";
    if (needed === "none") return;
    const secret = parseBearer(request.headers.authorization);
    const token = secret === undefined ? undefined : match(secret);
    if (token === undefined) {
      throw new StructregError("SR_UNAUTHORIZED", "Missing or unknown bearer token", {
        hint: "send Authorization: Bearer <token>",
      });
    }
    if (!hasScope(token.scopes, needed)) {
      throw new StructregError("SR_FORBIDDEN", `Token "${token.name}" lacks the "${needed}" scope`, {
        hint: `use a token with the "${needed}" scope`,
      });
    }
    AUTHENTICATED.set(request, token);
  };
}
