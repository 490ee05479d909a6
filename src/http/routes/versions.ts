import type { FastifyPluginAsync } from "fastify";
import { parseVersion } from "../params.js";
import type { FromSchema } from "../schema-types.js";
import {
  DELETE_VERSION,
  GET_PROVIDER_SCHEMA,
  GET_REFERENCED_BY,
  GET_VERSION,
  GET_VERSION_SCHEMA,
  SET_STATE,
  STATE_FIELD_ERRORS,
} from "../schemas/versions.js";
import type { ResourceOptions } from "./types.js";

type VersionParams = FromSchema<typeof GET_VERSION.params>;
type DeletedQuery = FromSchema<typeof GET_VERSION.querystring>;

/** One version of a subject: read, raw schema, provider schema, delete, state. */
export const versionRoutes: FastifyPluginAsync<ResourceOptions> = async (app, { registry }) => {
  const base = "/subjects/:subject/versions/:version";

  app.get<{ Params: VersionParams; Querystring: DeletedQuery }>(
    base,
    { schema: GET_VERSION, config: { scope: "read" } },
    async (request) => {
      const { subject, version } = request.params;
      return registry.getVersion(subject, parseVersion(version), {
        includeDeleted: request.query.deleted === true,
      });
    },
  );

  app.get<{ Params: VersionParams; Querystring: DeletedQuery }>(
    `${base}/schema`,
    { schema: GET_VERSION_SCHEMA, config: { scope: "read", rawJson: true } },
    async (request, reply) => {
      const { subject, version } = request.params;
      const view = await registry.getVersion(subject, parseVersion(version), {
        includeDeleted: request.query.deleted === true,
      });
      // The stored canonical text is sent as is: no re-serialisation, byte-identical to the fingerprinted form.
      return reply.type("application/json").send(view.schema);
    },
  );

  app.get<{ Params: VersionParams }>(
    `${base}/referencedby`,
    { schema: GET_REFERENCED_BY, config: { scope: "read" } },
    async (request) => {
      const { subject, version } = request.params;
      return registry.getReferencedBy(subject, parseVersion(version));
    },
  );

  app.delete<{ Params: VersionParams; Querystring: FromSchema<typeof DELETE_VERSION.querystring> }>(
    base,
    { schema: DELETE_VERSION, config: { scope: "admin" } },
    async (request) => {
      const { subject, version } = request.params;
      return registry.deleteVersion(subject, parseVersion(version), {
        permanent: request.query.permanent === true,
      });
    },
  );

  app.get<{ Params: VersionParams }>(
    `${base}/provider`,
    { schema: GET_PROVIDER_SCHEMA, config: { scope: "read", rawJson: true } },
    async (request, reply) => {
      const { subject, version } = request.params;
      const schema = await registry.getProviderSchema(subject, parseVersion(version));
      return reply.type("application/json").send(JSON.stringify(schema));
    },
  );

  app.put<{ Params: VersionParams; Body: FromSchema<typeof SET_STATE.body> }>(
    `${base}/state`,
    { schema: SET_STATE, config: { scope: "write", bodyErrorCodes: STATE_FIELD_ERRORS } },
    async (request) => {
      const { subject, version } = request.params;
      const parsed = parseVersion(version);
      // The registry changes numbered versions only: resolve "latest" first.
      const number = parsed === "latest" ? (await registry.getVersion(subject, "latest")).version : parsed;
      return registry.setVersionState(subject, number, request.body.state);
    },
  );
};
