import type { FastifyRequest } from "fastify";
import { type ChangeAuthor, LOCAL_AUTHOR, MAX_REASON_CHARS } from "../app/registry-events.js";
import { strongestScope } from "../http/author.js";

/**
 * Who makes a registry change from the console: the signed-in token (name and strongest scope), else "local"
 * (a server without tokens), with the reason typed into the change's prompt (console.js moves htmx's
 * HX-Prompt answer into the body's `reason`), when one was.
 */
export function consoleAuthor(request: FastifyRequest<{ Body?: unknown }>): ChangeAuthor {
  const user = request.consoleUser;
  const given = (request.body as { reason?: unknown } | undefined)?.reason;
  const reason = typeof given === "string" ? given.trim().slice(0, MAX_REASON_CHARS) || null : null;
  const who =
    user === undefined || !user.signedIn
      ? LOCAL_AUTHOR
      : { who: user.name, scope: strongestScope(user.scopes) };
  return { ...who, reason };
}
