import { isUtf8 } from "node:buffer";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { StructregError } from "../core/errors.js";
import { checkStorableText } from "./text-guard.js";

/** Confluent's media type: what registry clients send, and what structreg answers with. */
export const VND_JSON = "application/vnd.schemaregistry.v1+json";

/** Request body media types accepted (parameters such as charset are allowed). */
export const ACCEPTED_CONTENT_TYPES = [
  VND_JSON,
  "application/vnd.schemaregistry+json",
  "application/json",
] as const;

function invalidUtf8(): StructregError {
  return new StructregError("SR_INVALID_REQUEST", "Body is not valid UTF-8", {
    hint: "send JSON encoded as UTF-8",
  });
}

/** Hint given with 415 answers. */
export const CONTENT_TYPE_HINT = `send Content-Type: ${VND_JSON}`;

/**
 * Replaces Fastify's body parsers with JSON parsers for the accepted media types only, so form posts and
 * text/plain are refused with 415 instead of reaching a handler. Fastify's JSON parser refuses
 * `__proto__` and `constructor.prototype` keys (prototype pollution) with a 400. An empty body is
 * treated as no body. Invalid UTF-8, NUL and lone surrogates are refused (PostgreSQL text holds neither); validate
 * installs a parser of its own, as model output may hold anything (the quarantine encodes it).
 */
export function registerContentTypes(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeAllContentTypeParsers();
  app.addContentTypeParser([...ACCEPTED_CONTENT_TYPES], { parseAs: "buffer" }, (request, raw, done) => {
    // Registry clients send the JSON Content-Type on every request, also bodiless DELETEs: no body is no body.
    if (raw.length === 0) return done(null, undefined);
    // Decoding would silently turn invalid UTF-8 into U+FFFD, which could then be stored: refuse it instead.
    if (!isUtf8(raw as Buffer)) return done(invalidUtf8(), undefined);
    const body = raw.toString("utf8");
    parseJson(request, body, (err, parsed) => {
      done(err ?? checkStorableText(body, parsed) ?? null, err ? undefined : parsed);
    });
  });
}

/**
 * Answers JSON with Confluent's media type, except raw-schema routes, /metrics and /docs. Called from the
 * app's one onSend hook.
 */
export function setResponseType(request: FastifyRequest, reply: FastifyReply): void {
  const current = reply.getHeader("content-type");
  if (typeof current === "string") {
    // Fastify appends "; charset=utf-8" to JSON types set before serialisation (errors): answer one form.
    if (current.startsWith(VND_JSON)) reply.header("content-type", VND_JSON);
    else if (current.startsWith("application/json") && answersVndJson(request)) reply.type(VND_JSON);
  }
}

function answersVndJson(request: FastifyRequest): boolean {
  // PERFORMANCE: `routeOptions` is a getter building a fresh object: read it once.
  const route = request.routeOptions;
  return route.config.rawJson !== true && route.url?.startsWith("/docs") !== true;
}
