import type { FastifyPluginAsync, FastifyReply } from "fastify";
import type { GenerateRequest, GenerationService } from "../../app/generation-types.js";
import { ERROR_CODES, isStructregError } from "../../core/errors.js";
import type { JsonValue } from "../../core/json.js";
import type { FromSchema } from "../schema-types.js";
import { GENERATE } from "../schemas/generate.js";

/** What the generate plugin is registered with. */
export interface GenerateRouteOptions {
  generation: GenerationService;
}

type Params = FromSchema<typeof GENERATE.params>;
type Body = Omit<GenerateRequest, "input"> & { input: JsonValue };

const REJECTED = ERROR_CODES.SR_OUTPUT_REJECTED;

/**
 * POST /subjects/{s}/generate. Scope "write": every call spends the server's OpenAI quota and money.
 * Shed and breaker-open answers carry `Retry-After` so well-behaved clients back off instead of storming.
 */
export const generateRoutes: FastifyPluginAsync<GenerateRouteOptions> = async (app, { generation }) => {
  app.post<{ Params: Params; Body: Body }>(
    "/subjects/:subject/generate",
    { schema: GENERATE, config: { scope: "write" } },
    async (request, reply) => {
      let outcome: Awaited<ReturnType<GenerationService["generate"]>>;
      try {
        outcome = await generation.generate(request.params.subject, request.body);
      } catch (err) {
        setRetryAfter(reply, err);
        throw err;
      }
      if (outcome.ok) return outcome;
      return reply.code(REJECTED.status).send({
        error_code: REJECTED.errorCode,
        message: `Output rejected: ${outcome.reason}`,
        code: "SR_OUTPUT_REJECTED",
        ...outcome,
      });
    },
  );
};

/** `Retry-After` in whole seconds (at least 1) from an error's `details.retryAfterMs`. */
function setRetryAfter(reply: FastifyReply, err: unknown): void {
  if (!isStructregError(err)) return;
  const ms = err.details?.retryAfterMs;
  if (typeof ms === "number" && Number.isFinite(ms))
    reply.header("retry-after", String(Math.max(1, Math.ceil(ms / 1000))));
}
