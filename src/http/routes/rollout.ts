import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import type { RolloutGuard } from "../../app/guard.js";
import type { RolloutService, RolloutView } from "../../app/rollout-types.js";
import type { GuardSettings } from "../../core/rollout/model.js";
import type { SetRolloutInput } from "../../core/rollout/transitions.js";
import { createTokenMatcher, type HttpToken, parseBearer } from "../auth.js";
import type { FromSchema } from "../schema-types.js";
import {
  GET_ROLLOUT,
  GET_ROLLOUT_HISTORY,
  PAUSE_ROLLOUT,
  PROMOTE_ROLLOUT,
  PUT_ROLLOUT,
  ROLLBACK_ROLLOUT,
} from "../schemas/rollout.js";

/** What the rollout plugin is registered with. */
export interface RolloutRouteOptions {
  rollout: RolloutService;
  guard?: RolloutGuard;
  tokens: readonly HttpToken[];
}

/** Header naming the actor when the server has no tokens (the CLI sends "cli"); ignored with tokens. */
export const ACTOR_HEADER = "x-structreg-actor";

type Params = FromSchema<typeof GET_ROLLOUT.params>;
type PutBody = FromSchema<typeof PUT_ROLLOUT.body>;
type ChangeBody = FromSchema<typeof PROMOTE_ROLLOUT.body>;
type HistoryQuery = FromSchema<typeof GET_ROLLOUT_HISTORY.querystring>;

/** GET|PUT /subjects/{s}/rollout, promote, rollback, pause and history. */
export const rolloutRoutes: FastifyPluginAsync<RolloutRouteOptions> = async (app, options) => {
  const { rollout, guard } = options;
  const match = createTokenMatcher(options.tokens);
  // With tokens the audit names the token (it cannot be spoofed); without, the caller may say who it is.
  const who = (request: FastifyRequest): string => {
    if (options.tokens.length > 0) {
      const secret = parseBearer(request.headers.authorization);
      return (secret === undefined ? undefined : match(secret)?.name) ?? "anonymous";
    }
    const named = request.headers[ACTOR_HEADER];
    return typeof named === "string" && /^[\w.@:-]{1,100}$/.test(named) ? named : "anonymous";
  };
  const withFigures = (view: RolloutView) => ({ ...view, figures: guard?.figures(view.subject) ?? null });
  // promote, rollback and pause need no body: an empty one is an empty object (a JSON `null` is refused).
  app.addHook("preValidation", async (request) => {
    if (request.method === "POST" && request.body === undefined) request.body = {};
  });
  const base = "/subjects/:subject/rollout";
  const write = { scope: "write" } as const;

  app.get<{ Params: Params }>(base, { schema: GET_ROLLOUT, config: { scope: "read" } }, async (request) =>
    withFigures(await rollout.get(request.params.subject)),
  );

  app.put<{ Params: Params; Body: PutBody }>(base, { schema: PUT_ROLLOUT, config: write }, async (request) =>
    withFigures(await rollout.set(request.params.subject, toSetInput(request.body), who(request))),
  );

  app.post<{ Params: Params; Body: ChangeBody | undefined }>(
    `${base}/promote`,
    { schema: PROMOTE_ROLLOUT, config: write },
    async (request) =>
      withFigures(await rollout.promote(request.params.subject, who(request), changeOptions(request.body))),
  );

  app.post<{ Params: Params; Body: { reason?: string } | undefined }>(
    `${base}/rollback`,
    { schema: ROLLBACK_ROLLOUT, config: write },
    async (request) =>
      withFigures(await rollout.rollback(request.params.subject, who(request), changeOptions(request.body))),
  );

  app.post<{ Params: Params; Body: ChangeBody | undefined }>(
    `${base}/pause`,
    { schema: PAUSE_ROLLOUT, config: write },
    async (request) =>
      withFigures(await rollout.pause(request.params.subject, who(request), changeOptions(request.body))),
  );

  app.get<{ Params: Params; Querystring: HistoryQuery }>(
    `${base}/history`,
    { schema: GET_ROLLOUT_HISTORY, config: { scope: "read" } },
    async (request) => {
      const { limit, before } = request.query;
      return rollout.history(request.params.subject, {
        ...(limit === undefined ? {} : { limit }),
        ...(before === undefined ? {} : { before }),
      });
    },
  );
};

/** Keeps only the fields present: with exactOptionalPropertyTypes an absent field must stay absent. */
function toSetInput(body: PutBody): SetRolloutInput {
  const input: SetRolloutInput = {};
  if (body.candidate !== undefined) input.candidate = body.candidate;
  if (body.percent !== undefined) input.percent = body.percent;
  if (body.stage !== undefined) input.stage = body.stage;
  if (body.stable !== undefined) input.stable = body.stable;
  if (body.reason !== undefined) input.reason = body.reason;
  if (body.revision !== undefined) input.revision = body.revision;
  if (body.guard !== undefined) {
    const guard: Partial<GuardSettings> = {};
    for (const [key, value] of Object.entries(body.guard)) {
      if (value !== undefined) (guard as Record<string, unknown>)[key] = value;
    }
    input.guard = guard;
  }
  return input;
}

function changeOptions(body: { reason?: string; revision?: number } | undefined | null) {
  const out: { reason?: string; revision?: number } = {};
  if (body?.reason !== undefined) out.reason = body.reason;
  if (body?.revision !== undefined) out.revision = body.revision;
  return out;
}
