import type { FastifyPluginAsync } from "fastify";
import type { SubjectSummaries, SummaryQuery } from "../../app/subject-summary.js";
import type { FromSchema } from "../schema-types.js";
import { LIST_SUBJECT_SUMMARIES } from "../schemas/subject-summary.js";

type Query = FromSchema<typeof LIST_SUBJECT_SUMMARIES.querystring>;

/** Turns the validated query string into a summary query (absent fields stay absent). */
export function toSummaryQuery(query: Query): SummaryQuery {
  const out: SummaryQuery = {};
  if (query.q !== undefined) out.q = query.q;
  if (query.sort !== undefined) out.sort = query.sort;
  if (query.order !== undefined) out.order = query.order;
  if (query.deleted !== undefined) out.includeDeleted = query.deleted;
  return out;
}

/** GET /summary/subjects: the overview the console's subjects list shows, for scripts. */
export const subjectSummaryRoutes: FastifyPluginAsync<{ summaries: SubjectSummaries }> = async (
  app,
  { summaries },
) => {
  app.get<{ Querystring: Query }>(
    "/summary/subjects",
    { schema: LIST_SUBJECT_SUMMARIES, config: { scope: "read" } },
    async (request) => summaries.list(toSummaryQuery(request.query)),
  );
};
