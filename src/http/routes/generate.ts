import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import type { GenerationStream } from "../../app/generation-stream.js";
import type { GenerateRequest, GenerationOutcome, GenerationService } from "../../app/generation-types.js";
import { ERROR_CODES, isStructregError, StructregError } from "../../core/errors.js";
import type { JsonValue } from "../../core/json.js";
import type { FromSchema } from "../schema-types.js";
import { GENERATE } from "../schemas/generate.js";
import type { StreamMetrics } from "../stream-metrics.js";
import { sendGenerationStream } from "./generate-stream.js";

/** What the generate plugin is registered with. */
export interface GenerateRouteOptions {
  generation: GenerationService;
  /** Metrics of streamed calls (none recorded when absent). */
  streamMetrics?: StreamMetrics | undefined;
}

type Params = FromSchema<typeof GENERATE.params>;
type Body = Omit<GenerateRequest, "input"> & { input: JsonValue; stream?: boolean };

const REJECTED = ERROR_CODES.SR_OUTPUT_REJECTED;

/**
 * POST /subjects/{s}/generate. Scope "write": every call spends the server's OpenAI quota and money.
 * Shed and breaker-open answers carry `Retry-After` so well-behaved clients back off instead of storming.
 */
export const generateRoutes: FastifyPluginAsync<GenerateRouteOptions> = async (
  app,
  { generation, streamMetrics },
) => {
  /** `"stream": true`: errors before the upstream stream opens answer as usual; then server-sent events. */
  async function streamed(request: FastifyRequest<{ Params: Params }>, reply: FastifyReply, body: Body) {
    if (body.idempotencyKey !== undefined) {
      throw new StructregError("SR_INVALID_REQUEST", "idempotencyKey cannot be combined with stream");
    }
    let stream: GenerationStream;
    try {
      stream = await generation.generateStream(request.params.subject, body);
    } catch (err) {
      setRetryAfter(reply, err);
      throw err;
    }
    const subject = request.params.subject;
    const started = performance.now();
    streamMetrics?.started.inc({ subject });
    await sendGenerationStream(request, reply, stream, answerBody, {
      firstPartial: () =>
        streamMetrics?.firstPartialSeconds.observe({ subject }, (performance.now() - started) / 1000),
      ended: (result) => streamMetrics?.ended.inc({ subject, result }),
      resumed: (count) => streamMetrics?.resumed.inc({ subject }, count),
    });
    return reply;
  }

  app.post<{ Params: Params; Body: Body }>(
    "/subjects/:subject/generate",
    { schema: GENERATE, config: { scope: "write" } },
    async (request, reply) => {
      const { stream, ...body } = request.body;
      if (stream === true) return streamed(request, reply, body);
      let outcome: GenerationOutcome;
      try {
        outcome = await generation.generate(request.params.subject, body);
      } catch (err) {
        setRetryAfter(reply, err);
        throw err;
      }
      return outcome.ok ? outcome : reply.code(REJECTED.status).send(answerBody(outcome));
    },
  );
};

/** The answer's body: the outcome, and for a rejected one the error fields too (status 422). */
function answerBody(outcome: GenerationOutcome): unknown {
  if (outcome.ok) return outcome;
  return {
    error_code: REJECTED.errorCode,
    message: `Output rejected: ${outcome.reason}`,
    code: "SR_OUTPUT_REJECTED",
    ...outcome,
  };
}

/** `Retry-After` in whole seconds (at least 1) from an error's `details.retryAfterMs`. */
function setRetryAfter(reply: FastifyReply, err: unknown): void {
  if (!isStructregError(err)) return;
  const ms = err.details?.retryAfterMs;
  if (typeof ms === "number" && Number.isFinite(ms))
    reply.header("retry-after", String(Math.max(1, Math.ceil(ms / 1000))));
}
