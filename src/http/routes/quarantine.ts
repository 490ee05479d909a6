import { Readable } from "node:stream";
import type { FastifyPluginAsync } from "fastify";
import type { QuarantineService } from "../../app/quarantine.js";
import type { QuarantineQuery } from "../../app/validation-types.js";
import { StructregError } from "../../core/errors.js";
import type { FromSchema } from "../schema-types.js";
import { EXPORT_QUARANTINE, GET_SAMPLE, LIST_QUARANTINE, REPLAY } from "../schemas/quarantine.js";

/** What the quarantine plugin is registered with. */
export interface QuarantineRouteOptions {
  quarantine: QuarantineService;
}

type SubjectParams = FromSchema<typeof LIST_QUARANTINE.params>;
type ListQuery = FromSchema<typeof LIST_QUARANTINE.querystring>;
type ExportQuery = FromSchema<typeof EXPORT_QUARANTINE.querystring>;
type ReplayBody = FromSchema<typeof REPLAY.body>;

/** The quarantine: list, one sample, JSONL export (read), replay (write: it resolves samples). */
export const quarantineRoutes: FastifyPluginAsync<QuarantineRouteOptions> = async (app, { quarantine }) => {
  app.get<{ Params: SubjectParams; Querystring: ListQuery }>(
    "/subjects/:subject/quarantine",
    { schema: LIST_QUARANTINE, config: { scope: "read" } },
    async (request) => {
      const { cursor, limit } = request.query;
      return quarantine.list({
        ...filters(request.params.subject, request.query),
        limit: limit ?? 100,
        ...(cursor === undefined ? {} : { cursor }),
      });
    },
  );

  app.get<{ Params: SubjectParams; Querystring: ExportQuery }>(
    "/subjects/:subject/quarantine/export",
    { schema: EXPORT_QUARANTINE, config: { scope: "read" } },
    async (request, reply) => {
      const lines = quarantine.exportJsonl(filters(request.params.subject, request.query));
      // Streamed page by page: memory stays constant however many samples there are.
      return reply.type("application/x-ndjson").send(Readable.from(lines));
    },
  );

  app.get<{ Params: FromSchema<typeof GET_SAMPLE.params> }>(
    "/quarantine/:id",
    { schema: GET_SAMPLE, config: { scope: "read" } },
    async (request) => quarantine.get(request.params.id),
  );

  app.post<{ Params: SubjectParams; Body: ReplayBody }>(
    "/subjects/:subject/quarantine/replay",
    {
      schema: REPLAY,
      config: { scope: "write" },
      // Every field is optional: no body at all means "replay open samples against the current target".
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request) => {
      const body = request.body;
      return quarantine.replay(request.params.subject, {
        ...(body.version === undefined ? {} : { version: body.version }),
        ...(body.ids === undefined ? {} : { ids: body.ids }),
        ...(body.limit === undefined ? {} : { limit: body.limit }),
      });
    },
  );
};

/** The store filters of a listing or export query; timestamps are checked and normalised to ISO-8601. */
function filters(subject: string, query: ExportQuery): Omit<QuarantineQuery, "limit" | "cursor"> {
  return {
    subject,
    ...(query.status === undefined ? {} : { status: query.status }),
    ...(query.reason === undefined ? {} : { reason: query.reason }),
    ...(query.version === undefined ? {} : { version: query.version }),
    ...(query.since === undefined ? {} : { since: isoTime("since", query.since) }),
    ...(query.until === undefined ? {} : { until: isoTime("until", query.until) }),
  };
}

/** Years 1–9999: what ISO-8601 writes without an expanded year and PostgreSQL's timestamptz can hold. */
const EARLIEST_MS = Date.parse("0001-01-01T00:00:00.000Z");
const LATEST_MS = Date.parse("9999-12-31T23:59:59.999Z");

function isoTime(name: string, raw: string): string {
  const ms = Date.parse(raw);
  if (!(ms >= EARLIEST_MS && ms <= LATEST_MS)) {
    throw new StructregError(
      "SR_INVALID_REQUEST",
      `${name} is not an ISO-8601 timestamp from year 0001 to 9999`,
      {
        hint: "use e.g. 2025-01-31T00:00:00Z (years 0001 to 9999)",
      },
    );
  }
  return new Date(ms).toISOString();
}
