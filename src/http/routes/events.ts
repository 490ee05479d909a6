import type { FastifyPluginAsync } from "fastify";
import type { FromSchema } from "../schema-types.js";
import { GET_SUBJECT_EVENTS } from "../schemas/events.js";
import type { ResourceOptions } from "./types.js";

type Params = FromSchema<typeof GET_SUBJECT_EVENTS.params>;
type Query = FromSchema<typeof GET_SUBJECT_EVENTS.querystring>;

/** GET /subjects/{s}/events: the registry's event log of a subject (what the console's timeline shows). */
export const eventRoutes: FastifyPluginAsync<ResourceOptions> = async (app, { registry }) => {
  app.get<{ Params: Params; Querystring: Query }>(
    "/subjects/:subject/events",
    { schema: GET_SUBJECT_EVENTS, config: { scope: "read" } },
    async (request) => {
      const { limit, before } = request.query;
      return registry.listEvents(request.params.subject, {
        ...(limit === undefined ? {} : { limit }),
        ...(before === undefined ? {} : { before }),
      });
    },
  );
};
