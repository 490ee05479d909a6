import type { FastifyPluginAsync } from "fastify";
import type { EffectiveConfig } from "../../app/registry-types.js";
import { StructregError } from "../../core/errors.js";
import type { FromSchema } from "../schema-types.js";
import {
  CONFIG_FIELD_ERRORS,
  DELETE_GLOBAL_CONFIG,
  DELETE_SUBJECT_CONFIG,
  GET_GLOBAL_CONFIG,
  GET_SUBJECT_CONFIG,
  PUT_GLOBAL_CONFIG,
  PUT_SUBJECT_CONFIG,
} from "../schemas/config.js";
import type { ResourceOptions } from "./types.js";

type ConfigUpdate = FromSchema<typeof PUT_GLOBAL_CONFIG.body>;
type SubjectParams = FromSchema<typeof PUT_SUBJECT_CONFIG.params>;

/** Keeps only the fields present: with exactOptionalPropertyTypes an absent field must stay absent. */
function toPatch(body: ConfigUpdate): ConfigUpdate {
  const patch: ConfigUpdate = {};
  if (body.compatibility !== undefined) patch.compatibility = body.compatibility;
  if (body.policy !== undefined) patch.policy = body.policy;
  if (body.profile !== undefined) patch.profile = body.profile;
  if (Object.keys(patch).length === 0) {
    throw new StructregError("SR_INVALID_REQUEST", "Nothing to change", {
      hint: "send at least one of compatibility, policy, profile",
    });
  }
  return patch;
}

/** Confluent's PUT answer names the level `compatibility`. */
function toUpdateAnswer(config: EffectiveConfig) {
  return { compatibility: config.compatibilityLevel, policy: config.policy, profile: config.profile };
}

/** Compatibility level, policy and profile, global and per subject. */
export const configRoutes: FastifyPluginAsync<ResourceOptions> = async (app, { registry }) => {
  const update = { scope: "admin", bodyErrorCodes: CONFIG_FIELD_ERRORS } as const;

  app.get("/config", { schema: GET_GLOBAL_CONFIG, config: { scope: "read" } }, async () =>
    registry.getConfig(null),
  );
  app.put<{ Body: ConfigUpdate }>("/config", { schema: PUT_GLOBAL_CONFIG, config: update }, async (request) =>
    toUpdateAnswer(await registry.setConfig(null, toPatch(request.body))),
  );
  app.delete("/config", { schema: DELETE_GLOBAL_CONFIG, config: { scope: "admin" } }, async () =>
    registry.deleteConfig(null),
  );

  app.get<{ Params: SubjectParams; Querystring: FromSchema<typeof GET_SUBJECT_CONFIG.querystring> }>(
    "/config/:subject",
    { schema: GET_SUBJECT_CONFIG, config: { scope: "read" } },
    async (request) =>
      registry.getConfig(request.params.subject, { defaultToGlobal: request.query.defaultToGlobal === true }),
  );
  app.put<{ Params: SubjectParams; Body: ConfigUpdate }>(
    "/config/:subject",
    { schema: PUT_SUBJECT_CONFIG, config: update },
    async (request) =>
      toUpdateAnswer(await registry.setConfig(request.params.subject, toPatch(request.body))),
  );
  app.delete<{ Params: SubjectParams }>(
    "/config/:subject",
    { schema: DELETE_SUBJECT_CONFIG, config: { scope: "admin" } },
    async (request) => registry.deleteConfig(request.params.subject),
  );
};
