import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { StrictSuccessJson } from "../../app/strict-success-json.js";
import type { ValidateOptions, ValidationService } from "../../app/validation.js";
import type { ValidationOutcome } from "../../app/validation-types.js";
import { ERROR_CODES } from "../../core/errors.js";
import { authenticatedToken, hasScope } from "../auth.js";
import { ACCEPTED_CONTENT_TYPES, VND_JSON } from "../content-types.js";
import type { FromSchema } from "../schema-types.js";
import { VALIDATE } from "../schemas/validate.js";

/** What the validate plugin is registered with. */
export interface ValidateRouteOptions {
  validation: ValidationService;
  /** Largest body of this route: bigger than the registry's, so a huge output is a typed failure, not a 413. */
  bodyLimitBytes: number;
}

type Params = FromSchema<typeof VALIDATE.params>;
type Body = { output: unknown; version?: number; key?: string };

const REJECTED = ERROR_CODES.SR_OUTPUT_REJECTED;
const REJECTED_MESSAGE = "Output rejected";

/** Header on answers of a dry run: nothing was quarantined and the outcome fed no rollout guard. */
export const DRY_RUN_HEADER = "x-structreg-dry-run";

/**
 * POST /subjects/{s}/validate. Scope "read" may call it, but only as a dry run: quarantining a failure
 * (which may evict older samples) and feeding the rollout guard (which may roll a rollout back) need the
 * "validate" scope. Without tokens every call has its effects, as before.
 */
export const validateRoutes: FastifyPluginAsync<ValidateRouteOptions> = async (app, options) => {
  acceptHostileKeys(app);
  const { validation } = options;
  const strictJson = new StrictSuccessJson();

  app.post<{ Params: Params; Body: Body }>(
    "/subjects/:subject/validate",
    { schema: VALIDATE, bodyLimit: options.bodyLimitBytes, config: { scope: "read" } },
    // PERFORMANCE: not an async handler. An accepted output is answered synchronously (validateNow), which
    // spares the handler's promise and the microtasks behind it; anything that waits returns its promise.
    (request, reply) => {
      const { output, version, key } = request.body;
      const dryRun = isDryRun(request);
      if (dryRun) reply.header(DRY_RUN_HEADER, "true");
      // Assigned, not spread from conditional literals: three temporary objects fewer per request.
      const settings: ValidateOptions = {};
      if (version !== undefined) settings.version = version;
      if (key !== undefined) settings.key = key;
      if (dryRun) settings.dryRun = true;
      const answer = validation.validateNow(request.params.subject, output, settings);
      const text = typeof output === "string" ? output : undefined;
      return answer instanceof Promise
        ? answer.then((o) => answerOf(reply, o, strictJson.members(o, text)))
        : answerOf(reply, answer, strictJson.members(answer, text));
    },
  );
};

/** A caller authenticated without the "validate" scope validates without effects. */
function isDryRun(request: FastifyRequest): boolean {
  const token = authenticatedToken(request);
  return token !== undefined && !hasScope(token.scopes, "validate");
}

/**
 * The body of the answer: the outcome (200), or the failure with the error fields (422). A repair-free
 * strict success comes as `members`, its JSON text with the output's own text as data. PERFORMANCE: that
 * spares serialising the parsed output again (as much as the parse cost), and the answer is the same JSON
 * value the response schema would write.
 */
function answerOf(reply: FastifyReply, outcome: ValidationOutcome, members: string | undefined): unknown {
  if (members !== undefined) {
    reply.header("content-type", VND_JSON);
    return `{${members}}`;
  }
  if (outcome.ok) return outcome;
  // The failure is the answer: the CLI reads error_code/code like any error, and the outcome beside them.
  reply.code(REJECTED.status);
  return {
    error_code: REJECTED.errorCode,
    message: `${REJECTED_MESSAGE}: ${outcome.reason}`,
    code: "SR_OUTPUT_REJECTED",
    ...outcome,
  };
}

/**
 * In this plugin only, `__proto__` and `constructor` keys in the body are kept as plain data instead of
 * refused with a 400: they are model output to validate and report. `JSON.parse` defines them as own
 * properties (no prototype is touched), and everything downstream copies keys with `setOwn`.
 */
function acceptHostileKeys(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser("ignore", "ignore");
  app.removeAllContentTypeParsers();
  app.addContentTypeParser([...ACCEPTED_CONTENT_TYPES], { parseAs: "string" }, (request, body, done) => {
    if (body === "") done(null, undefined);
    else parseJson(request, body as string, done);
  });
}
