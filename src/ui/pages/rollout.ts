import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import type { FigureSeries } from "../../app/figure-series.js";
import type { RolloutGuard } from "../../app/guard.js";
import type { RolloutService } from "../../app/rollout-types.js";
import { isStructregError, StructregError } from "../../core/errors.js";
import type { SetRolloutInput } from "../../core/rollout/transitions.js";
import type { ConsoleContext } from "../deps.js";
import { errorView } from "../errors.js";
import { chartSeries, liveFigures, rampSteps } from "../rollout-view.js";
import { versionsOf } from "./subject.js";

type Params = { subject: string };
interface ActionBody {
  reason?: string;
  revision?: number;
  candidate?: number;
  percent?: number;
  exactPercent?: number;
  stage?: "shadow" | "ramping";
  thresholdPercent?: number;
  minSample?: number;
  windowSeconds?: number;
  shadowPercent?: number;
  enabled?: boolean;
}

const REASON = { type: "string", maxLength: 500 } as const;
const ACTION_BODY = {
  type: "object",
  properties: {
    reason: REASON,
    revision: { type: "integer", minimum: 0 },
    candidate: { type: "integer", minimum: 1 },
    percent: { type: "number", minimum: 0, maximum: 100 },
    exactPercent: { type: "number", minimum: 0, maximum: 100 },
    stage: { type: "string", enum: ["shadow", "ramping"] },
    thresholdPercent: { type: "number", minimum: 0, maximum: 100 },
    minSample: { type: "integer", minimum: 1 },
    windowSeconds: { type: "integer", minimum: 1 },
    shadowPercent: { type: "number", minimum: 0, maximum: 100 },
    enabled: { type: "boolean" },
  },
} as const;

/** A reason is asked for every change; only a rollback may go without one (it must never wait). */
function reasonOf(body: ActionBody | undefined, required: boolean): string | undefined {
  const reason = body?.reason?.trim() ?? "";
  if (reason === "" && required) {
    throw new StructregError("SR_INVALID_REQUEST", "Give a reason for this change", {
      hint: "the reason is recorded in the rollout's audit history",
      details: { issues: [{ path: "/reason", message: "must not be empty" }] },
    });
  }
  return reason === "" ? undefined : reason;
}

/** Builds the service input of a ramp, shadow or guard change from the form. */
export function toSetInput(body: ActionBody): SetRolloutInput {
  const input: SetRolloutInput = {};
  const percent = body.exactPercent ?? body.percent;
  if (body.candidate !== undefined) input.candidate = body.candidate;
  if (percent !== undefined) input.percent = percent;
  if (body.stage !== undefined) input.stage = body.stage;
  else if (percent !== undefined) input.stage = "ramping";
  if (body.revision !== undefined) input.revision = body.revision;
  const guard = {
    ...(body.thresholdPercent === undefined ? {} : { thresholdPercent: body.thresholdPercent }),
    ...(body.minSample === undefined ? {} : { minSample: body.minSample }),
    ...(body.windowSeconds === undefined ? {} : { windowSeconds: body.windowSeconds }),
    ...(body.shadowPercent === undefined ? {} : { shadowPercent: body.shadowPercent }),
    ...(body.enabled === undefined ? {} : { enabled: body.enabled }),
  };
  if (Object.keys(guard).length > 0) input.guard = guard;
  return input;
}

/** GET /ui/subjects/:subject/rollout and its actions. */
type RolloutDeps = Pick<ConsoleContext, "registry" | "renderer"> & {
  service: RolloutService;
  guard: RolloutGuard | undefined;
  series: FigureSeries | undefined;
};

/** The chart's history kept by this process (survives a page reload). */
function seriesOf(series: FigureSeries | undefined, subject: string) {
  return chartSeries(series?.points(subject) ?? []);
}

/** The rollout page's data: live state and figures, the versions that may be candidates, the history. */
async function rolloutView({ registry, service, guard, series }: RolloutDeps, subject: string) {
  const [rollout, versions, history] = await Promise.all([
    service.get(subject),
    versionsOf(registry, subject),
    service.history(subject, { limit: 50 }),
  ]);
  // Without a stored rollout, stable is only a default: the newest version may be the candidate (the
  // service then keeps the newest ENABLED version below it as stable).
  const candidates = versions.filter(
    (v) => !v.deleted && v.state === "ENABLED" && (!rollout.configured || v.version !== rollout.stable),
  );
  const live = liveFigures(rollout, guard?.figures(subject));
  return { subject, live, candidates, history, steps: rampSteps(), series: seriesOf(series, subject) };
}

/** One rollout action: POST /ui/subjects/:subject/rollout/<path> (scope write), then the page reloads. */
function registerAction(
  app: FastifyInstance,
  deps: RolloutDeps,
  path: string,
  run: (subject: string, body: ActionBody, who: string) => Promise<unknown>,
): void {
  app.post<{ Params: Params; Body: ActionBody }>(
    `/subjects/:subject/rollout/${path}`,
    { config: { consoleScope: "write" }, schema: { body: ACTION_BODY } },
    async (request, reply) => {
      const who = request.consoleUser?.name ?? "console";
      try {
        await run(request.params.subject, request.body ?? {}, who);
      } catch (err) {
        return stale(err, request, reply, deps.service, deps.renderer);
      }
      return reply.code(204).header("hx-refresh", "true").send();
    },
  );
}

/** GET /ui/subjects/:subject/rollout, its live panel (polled), and its actions. */
export const rolloutPage: FastifyPluginAsync<ConsoleContext> = async (app, context) => {
  if (context.rollout === undefined) return;
  const { service, guard, series } = context.rollout;
  const deps: RolloutDeps = {
    registry: context.registry,
    renderer: context.renderer,
    service,
    guard,
    series,
  };
  app.get<{ Params: Params }>("/subjects/:subject/rollout", async (request, reply) => {
    const { subject } = request.params;
    const layout = { title: `${subject}: rollout`, section: "rollout", subject };
    return deps.renderer.page(request, reply, "rollout", layout, await rolloutView(deps, subject));
  });
  app.get<{ Params: Params; Querystring: { revision?: number } }>(
    "/subjects/:subject/rollout/live",
    { schema: { querystring: { type: "object", properties: { revision: { type: "integer" } } } } },
    async (request, reply) => {
      const { subject } = request.params;
      const live = liveFigures(await service.get(subject), guard?.figures(subject));
      return deps.renderer.fragment(reply, "rollout-live", {
        subject,
        live,
        series: seriesOf(deps.series, subject),
        pageRevision: request.query.revision ?? null,
      });
    },
  );
  registerAction(app, deps, "set", (s, body, who) =>
    service.set(s, { ...toSetInput(body), reason: reasonOf(body, true) as string }, who),
  );
  registerAction(app, deps, "promote", (s, body, who) => service.promote(s, who, changeOptions(body, true)));
  registerAction(app, deps, "pause", (s, body, who) => service.pause(s, who, changeOptions(body, true)));
  registerAction(app, deps, "rollback", (s, body, who) =>
    service.rollback(s, who, { ...reasonOption(reasonOf(body, false)) }),
  );
};

function reasonOption(reason: string | undefined): { reason?: string } {
  return reason === undefined ? {} : { reason };
}

function changeOptions(body: ActionBody, requireReason: boolean): { reason?: string; revision?: number } {
  return {
    ...reasonOption(reasonOf(body, requireReason)),
    ...(body.revision === undefined ? {} : { revision: body.revision }),
  };
}

/** A stale revision is explained: the changes made since the page was read, by whom and why. */
async function stale(
  err: unknown,
  request: FastifyRequest<{ Params: Params; Body: ActionBody }>,
  reply: FastifyReply,
  service: RolloutService,
  renderer: ConsoleContext["renderer"],
): Promise<FastifyReply> {
  if (!isStructregError(err) || err.code !== "SR_ROLLOUT_CONFLICT") throw err;
  const since = request.body?.revision ?? 0;
  const events = await service.history(request.params.subject, { limit: 20 });
  const between = events.filter((e) => e.revision > since).reverse();
  reply.code(err.status).header("hx-retarget", "#flash").header("hx-reswap", "innerHTML");
  return renderer.fragment(reply, "rollout-stale", { error: errorView(err), between });
}
