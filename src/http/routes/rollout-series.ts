import type { FastifyPluginAsync } from "fastify";
import type { FigureSeries } from "../../app/figure-series.js";
import type { RolloutService } from "../../app/rollout-types.js";
import type { FromSchema } from "../schema-types.js";
import { GET_ROLLOUT_SERIES } from "../schemas/rollout-series.js";

/** GET /subjects/{s}/rollout/series: the rollout chart's history (what the console draws). */
export const rolloutSeriesRoutes: FastifyPluginAsync<{
  rollout: RolloutService;
  series: FigureSeries;
}> = async (app, { rollout, series }) => {
  app.get<{ Params: FromSchema<typeof GET_ROLLOUT_SERIES.params> }>(
    "/subjects/:subject/rollout/series",
    { schema: GET_ROLLOUT_SERIES, config: { scope: "read" } },
    async (request) => {
      const { subject } = request.params;
      await rollout.get(subject); // SR_SUBJECT_NOT_FOUND for an unknown subject
      return { subject, intervalSeconds: series.intervalMs / 1000, points: series.points(subject) };
    },
  );
};
