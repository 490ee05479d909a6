import type { FastifyPluginAsync } from "fastify";
import type { FromSchema } from "../schema-types.js";
import {
  DELETE_SUBJECT_MODE,
  GET_GLOBAL_MODE,
  GET_SUBJECT_MODE,
  MODE_FIELD_ERRORS,
  PUT_GLOBAL_MODE,
  PUT_SUBJECT_MODE,
} from "../schemas/mode.js";
import type { ResourceOptions } from "./types.js";

type SubjectParams = FromSchema<typeof PUT_SUBJECT_MODE.params>;
type ModeUpdate = FromSchema<typeof PUT_GLOBAL_MODE.body>;
type ForceQuery = FromSchema<typeof PUT_GLOBAL_MODE.querystring>;

/** Confluent's /mode resource: global and per-subject modes. */
export const modeRoutes: FastifyPluginAsync<ResourceOptions> = async (app, { registry }) => {
  const update = { scope: "admin", bodyErrorCodes: MODE_FIELD_ERRORS } as const;

  app.get("/mode", { schema: GET_GLOBAL_MODE, config: { scope: "read" } }, async () => ({
    mode: await registry.getMode(null),
  }));
  app.put<{ Body: ModeUpdate; Querystring: ForceQuery }>(
    "/mode",
    { schema: PUT_GLOBAL_MODE, config: update },
    async (request) => ({
      mode: await registry.setMode(null, request.body.mode, { force: request.query.force === true }),
    }),
  );

  app.get<{ Params: SubjectParams; Querystring: FromSchema<typeof GET_SUBJECT_MODE.querystring> }>(
    "/mode/:subject",
    { schema: GET_SUBJECT_MODE, config: { scope: "read" } },
    async (request) => ({
      mode: await registry.getMode(request.params.subject, {
        defaultToGlobal: request.query.defaultToGlobal === true,
      }),
    }),
  );
  app.put<{ Params: SubjectParams; Body: ModeUpdate; Querystring: ForceQuery }>(
    "/mode/:subject",
    { schema: PUT_SUBJECT_MODE, config: update },
    async (request) => ({
      mode: await registry.setMode(request.params.subject, request.body.mode, {
        force: request.query.force === true,
      }),
    }),
  );
  app.delete<{ Params: SubjectParams }>(
    "/mode/:subject",
    { schema: DELETE_SUBJECT_MODE, config: { scope: "admin" } },
    async (request) => ({ mode: await registry.deleteMode(request.params.subject) }),
  );
};
