import type { FastifyPluginAsync } from "fastify";
import { readSchemaRequest } from "../schema-request.js";
import type { FromSchema } from "../schema-types.js";
import { SCHEMA_FIELD_ERRORS } from "../schemas/common.js";
import {
  DELETE_SUBJECT,
  LIST_SUBJECTS,
  LIST_VERSIONS,
  LOOKUP,
  REGISTER,
  REGISTER_FIELD_ERRORS,
} from "../schemas/subjects.js";
import type { ResourceOptions } from "./types.js";

type SubjectParams = FromSchema<typeof LIST_VERSIONS.params>;
type DeletedQuery = FromSchema<typeof LIST_SUBJECTS.querystring>;

/** Confluent's /subjects resource: list, register, lookup, delete. */
export const subjectRoutes: FastifyPluginAsync<ResourceOptions> = async (app, { registry }) => {
  app.get<{ Querystring: DeletedQuery }>(
    "/subjects",
    { schema: LIST_SUBJECTS, config: { scope: "read" } },
    async (request) => registry.listSubjects({ includeDeleted: request.query.deleted === true }),
  );

  app.get<{ Params: SubjectParams; Querystring: DeletedQuery }>(
    "/subjects/:subject/versions",
    { schema: LIST_VERSIONS, config: { scope: "read" } },
    async (request) =>
      registry.listVersions(request.params.subject, { includeDeleted: request.query.deleted === true }),
  );

  app.post<{ Params: SubjectParams; Body: FromSchema<typeof REGISTER.body> }>(
    "/subjects/:subject/versions",
    { schema: REGISTER, config: { scope: "write", bodyErrorCodes: REGISTER_FIELD_ERRORS } },
    async (request) => {
      const { id, version } = request.body;
      const options = {
        ...readSchemaRequest(request.body),
        ...(id === undefined ? {} : { id }),
        ...(version === undefined ? {} : { version }),
      };
      return registry.register(request.params.subject, request.body.schema, options);
    },
  );

  app.post<{ Params: SubjectParams; Querystring: DeletedQuery; Body: FromSchema<typeof LOOKUP.body> }>(
    "/subjects/:subject",
    { schema: LOOKUP, config: { scope: "read", bodyErrorCodes: SCHEMA_FIELD_ERRORS } },
    async (request) => {
      const { references } = readSchemaRequest(request.body);
      return registry.lookup(request.params.subject, request.body.schema, {
        includeDeleted: request.query.deleted === true,
        ...(references === undefined ? {} : { references }),
      });
    },
  );

  app.delete<{ Params: SubjectParams; Querystring: FromSchema<typeof DELETE_SUBJECT.querystring> }>(
    "/subjects/:subject",
    { schema: DELETE_SUBJECT, config: { scope: "admin" } },
    async (request) =>
      registry.deleteSubject(request.params.subject, { permanent: request.query.permanent === true }),
  );
};
