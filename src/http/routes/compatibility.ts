import type { FastifyPluginAsync } from "fastify";
import type { CompatibilityVerdict } from "../../app/registry-types.js";
import { parseVersion } from "../params.js";
import { readSchemaRequest } from "../schema-request.js";
import type { FromSchema } from "../schema-types.js";
import { SCHEMA_FIELD_ERRORS } from "../schemas/common.js";
import { CHECK, CHECK_AGAINST_LEVEL, CHECK_AGAINST_VERSION } from "../schemas/compatibility.js";
import type { ResourceOptions } from "./types.js";

type Body = FromSchema<typeof CHECK_AGAINST_LEVEL.body>;
type VerboseQuery = FromSchema<typeof CHECK_AGAINST_LEVEL.querystring>;
type CompatibilityAnswer = FromSchema<(typeof CHECK_AGAINST_LEVEL.response)[200]>;

/** Confluent's answer: `is_compatible`, plus messages (and structreg's differences) when verbose. */
function toAnswer(verdict: CompatibilityVerdict, verbose: boolean): CompatibilityAnswer {
  if (!verbose) return { is_compatible: verdict.isCompatible };
  return {
    is_compatible: verdict.isCompatible,
    messages: verdict.messages,
    differences: verdict.differences,
  };
}

/** Compatibility checks (Confluent's /compatibility) and the registration dry run (/subjects/{s}/check). */
export const compatibilityRoutes: FastifyPluginAsync<ResourceOptions> = async (app, { registry }) => {
  const config = { scope: "read", bodyErrorCodes: SCHEMA_FIELD_ERRORS } as const;

  app.post<{
    Params: FromSchema<typeof CHECK_AGAINST_VERSION.params>;
    Querystring: VerboseQuery;
    Body: Body;
  }>(
    "/compatibility/subjects/:subject/versions/:version",
    { schema: CHECK_AGAINST_VERSION, config },
    async (request) => {
      const options = readSchemaRequest(request.body);
      const version = parseVersion(request.params.version);
      const { subject } = request.params;
      const verdict = await registry.checkCompatibility(subject, request.body.schema, version, options);
      return toAnswer(verdict, request.query.verbose === true);
    },
  );

  app.post<{ Params: FromSchema<typeof CHECK_AGAINST_LEVEL.params>; Querystring: VerboseQuery; Body: Body }>(
    "/compatibility/subjects/:subject/versions",
    { schema: CHECK_AGAINST_LEVEL, config },
    async (request) => {
      const options = readSchemaRequest(request.body);
      const { subject } = request.params;
      const verdict = await registry.checkCompatibility(subject, request.body.schema, undefined, options);
      return toAnswer(verdict, request.query.verbose === true);
    },
  );

  app.post<{ Params: FromSchema<typeof CHECK.params>; Body: Body }>(
    "/subjects/:subject/check",
    { schema: CHECK, config },
    async (request) => {
      const options = readSchemaRequest(request.body);
      return registry.check(request.params.subject, request.body.schema, options);
    },
  );
};
