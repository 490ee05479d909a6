import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance, FastifySchema, RouteOptions } from "fastify";
import { ACCEPTED_CONTENT_TYPES, VND_JSON } from "./content-types.js";

/** Version of the API description (not of the package). */
const API_VERSION = "1.0.0";

const DESCRIPTION = [
  "Schema registry for LLM structured outputs.",
  "Compatible with Confluent Schema Registry's REST API for JSON Schema; structreg's own fields and",
  "endpoints are marked as extensions. Errors answer {error_code, message, code, hint?, details?}.",
].join(" ");

/** Documents the accepted and answered media types, and that probes need no token. */
function describeMediaTypes({
  schema,
  url,
  route,
}: {
  schema: FastifySchema;
  url: string;
  route: RouteOptions;
}) {
  const config = route.config ?? {};
  const described: Record<string, unknown> = {
    ...schema,
    produces: [config.rawJson === true ? "application/json" : VND_JSON],
    ...(schema?.body === undefined ? {} : { consumes: [...ACCEPTED_CONTENT_TYPES] }),
    ...(config.scope === "none" ? { security: [] } : {}),
  };
  return { schema: described as FastifySchema, url };
}

/**
 * Registers the OpenAPI document (built from the route schemas, so it cannot drift from validation and
 * serialization) at /docs/json and Swagger UI at /docs. Must run before the routes are added.
 */
export async function registerOpenApi(app: FastifyInstance, options: { bearerAuth: boolean }): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: { title: "structreg", version: API_VERSION, description: DESCRIPTION },
      tags: [
        { name: "subjects", description: "Subjects and registration" },
        { name: "versions", description: "One version of a subject" },
        { name: "schemas", description: "Schemas by global id" },
        { name: "compatibility", description: "Compatibility checks" },
        { name: "config", description: "Compatibility level, policy and profile" },
        { name: "mode", description: "Registry modes: READWRITE, READONLY, READONLY_OVERRIDE, IMPORT" },
        { name: "validation", description: "Validate-and-parse model outputs" },
        { name: "quarantine", description: "Bad cases kept for replay and evals" },
        { name: "rollout", description: "Gradual rollout of schema versions" },
        { name: "generation", description: "OpenAI Responses API calls with registry schemas" },
        { name: "probes", description: "Liveness and readiness" },
      ],
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
      ...(options.bearerAuth ? { security: [{ bearer: [] }] } : {}),
    },
    transform: describeMediaTypes,
  } as Parameters<typeof swagger>[1]);
  await app.register(swaggerUi, { routePrefix: "/docs" });
}
