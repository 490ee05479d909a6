import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { invalidSubjectName } from "../app/registry-rules.js";
import { type ErrorCode, isStructregError, StructregError } from "../core/errors.js";
import { noteErrorCode } from "./access-log.js";
import { WWW_AUTHENTICATE } from "./auth.js";
import { CONTENT_TYPE_HINT, VND_JSON } from "./content-types.js";

/** The error body: Confluent's two fields first, structreg's extension fields after. */
export interface ErrorBody {
  error_code: number;
  message: string;
  code: ErrorCode;
  hint?: string;
  details?: Readonly<Record<string, unknown>>;
}

/** Longest message echoed from a framework error (they may quote the request). */
const MAX_ECHO = 300;

/** The wire body of a StructregError. */
export function toErrorBody(err: StructregError): ErrorBody {
  const body: ErrorBody = { error_code: err.errorCode, message: err.message, code: err.code };
  if (err.hint !== undefined) body.hint = err.hint;
  if (err.details !== undefined) body.details = err.details;
  return body;
}

/** Installs the one error handler and the 404 handler; every error answer goes through `sendError`. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => sendError(request, reply, error));
  app.setNotFoundHandler((request, reply) => {
    const route = `${request.method} ${request.url.slice(0, MAX_ECHO)}`;
    sendError(
      request,
      reply,
      new StructregError("SR_ROUTE_NOT_FOUND", `Route ${route} not found`, {
        hint: "the API is described at /docs",
      }),
    );
  });
}

/** Maps any error to a StructregError (logging unexpected ones) and sends it. */
export function sendError(request: FastifyRequest, reply: FastifyReply, error: unknown): void {
  const err = toStructregError(error, request);
  noteErrorCode(reply, err.code);
  if (err.code === "SR_UNAUTHORIZED") reply.header("www-authenticate", WWW_AUTHENTICATE);
  // Set as a header, not with reply.type(), so errors carry exactly the media type successes do.
  reply.code(err.status).header("content-type", VND_JSON).send(toErrorBody(err));
}

/** Turns StructregErrors, Fastify's own errors and anything unexpected into a StructregError. */
export function toStructregError(error: unknown, request: FastifyRequest): StructregError {
  if (isStructregError(error)) return error;
  if (isFastifyError(error)) {
    const mapped = fromFastifyError(error, request);
    if (mapped !== undefined) return mapped;
  }
  if (error instanceof RangeError && /call stack/i.test(error.message) && request.body !== undefined) {
    // A safety net: deep input must be refused by depth checks; if one is missed it is still not a 500.
    request.log.warn({ err: error }, "stack overflow on request input");
    return new StructregError("SR_SCHEMA_TOO_DEEP", "Input is nested too deeply");
  }
  request.log.error({ err: error, requestId: request.id }, "unexpected error");
  return new StructregError("SR_INTERNAL", `Internal error (request id ${request.id})`, {
    details: { requestId: request.id },
    hint: "this is a bug: report it with the request id",
  });
}

/** Fastify's own errors only: a library error that happens to carry a 4xx `statusCode` is still unexpected. */
function isFastifyError(error: unknown): error is FastifyError {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return "validation" in error || (typeof code === "string" && code.startsWith("FST_"));
}

function fromFastifyError(error: FastifyError, request: FastifyRequest): StructregError | undefined {
  if (error.validation !== undefined) return fromValidationError(error, request);
  const status = error.statusCode ?? 500;
  if (status === 413) {
    return new StructregError("SR_BODY_TOO_LARGE", "Request body exceeds the size limit", {
      hint: "send a smaller body",
    });
  }
  if (status === 415) {
    const type = String(request.headers["content-type"] ?? "none").slice(0, MAX_ECHO);
    return new StructregError("SR_UNSUPPORTED_MEDIA_TYPE", `Unsupported Content-Type: ${type}`, {
      hint: CONTENT_TYPE_HINT,
    });
  }
  if (status === 404) return new StructregError("SR_ROUTE_NOT_FOUND", "No such endpoint");
  if (status >= 400 && status < 500) {
    return new StructregError("SR_INVALID_REQUEST", error.message.slice(0, MAX_ECHO), {
      details: { reason: error.code },
    });
  }
  return undefined;
}

type ValidationIssue = NonNullable<FastifyError["validation"]>[number];

/** JSON Pointer of a validation issue; a missing property points at the property itself. */
function issuePointer(issue: ValidationIssue): string {
  const missing = issue.keyword === "required" ? issue.params.missingProperty : undefined;
  return typeof missing === "string" ? `${issue.instancePath}/${missing}` : issue.instancePath;
}

function fromValidationError(error: FastifyError, request: FastifyRequest): StructregError {
  const issues = (error.validation ?? []).map((issue) => ({
    path: issuePointer(issue),
    message: issue.message ?? issue.keyword,
  }));
  const context = error.validationContext ?? "request";
  if (context === "params" && issues.some((issue) => issue.path === "/subject")) {
    return invalidSubjectName(String((request.params as { subject?: unknown }).subject));
  }
  const codes = request.routeOptions.config.bodyErrorCodes;
  if (context === "body" && codes !== undefined) {
    const hit = issues.find((issue) => codes[issue.path] !== undefined);
    if (hit !== undefined) {
      const code = codes[hit.path] as ErrorCode;
      return new StructregError(code, `${hit.path.slice(1)} ${hit.message}`, { details: { issues } });
    }
  }
  return new StructregError("SR_INVALID_REQUEST", `Invalid ${context}: ${error.message}`.slice(0, MAX_ECHO), {
    details: { issues },
  });
}
