import type { FastifyPluginAsync } from "fastify";
import { parseSchemaId } from "../params.js";
import type { FromSchema } from "../schema-types.js";
import {
  GET_BY_ID,
  GET_RAW_BY_ID,
  GET_SUBJECTS_BY_ID,
  GET_TYPES,
  GET_VERSIONS_BY_ID,
} from "../schemas/schemas.js";
import type { ResourceOptions } from "./types.js";

type IdParams = FromSchema<typeof GET_BY_ID.params>;
type DeletedQuery = FromSchema<typeof GET_VERSIONS_BY_ID.querystring>;

/** Confluent's /schemas resource: types and schemas by global id. */
export const schemaRoutes: FastifyPluginAsync<ResourceOptions> = async (app, { registry }) => {
  const read = { scope: "read" } as const;

  app.get("/schemas/types", { schema: GET_TYPES, config: read }, async () => ["JSON"]);

  app.get<{ Params: IdParams }>("/schemas/ids/:id", { schema: GET_BY_ID, config: read }, async (request) =>
    registry.getSchemaById(parseSchemaId(request.params.id)),
  );

  app.get<{ Params: IdParams }>(
    "/schemas/ids/:id/schema",
    { schema: GET_RAW_BY_ID, config: { scope: "read", rawJson: true } },
    async (request, reply) => {
      const found = await registry.getSchemaById(parseSchemaId(request.params.id));
      return reply.type("application/json").send(found.schema);
    },
  );

  app.get<{ Params: IdParams; Querystring: DeletedQuery }>(
    "/schemas/ids/:id/versions",
    { schema: GET_VERSIONS_BY_ID, config: read },
    async (request) =>
      registry.getSubjectVersionsById(parseSchemaId(request.params.id), {
        includeDeleted: request.query.deleted === true,
      }),
  );

  app.get<{ Params: IdParams; Querystring: DeletedQuery }>(
    "/schemas/ids/:id/subjects",
    { schema: GET_SUBJECTS_BY_ID, config: read },
    async (request) => {
      const versions = await registry.getSubjectVersionsById(parseSchemaId(request.params.id), {
        includeDeleted: request.query.deleted === true,
      });
      return [...new Set(versions.map((v) => v.subject))];
    },
  );
};
