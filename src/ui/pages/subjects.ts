import type { FastifyPluginAsync } from "fastify";
import { SUMMARY_SORTS, type SummaryQuery, type SummarySort } from "../../app/subject-summary.js";
import type { ConsoleContext } from "../deps.js";

interface ListQuery {
  q?: string;
  sort?: string;
  order?: string;
  deleted?: string;
}

const COLUMNS: Array<{ key: SummarySort; label: string }> = [
  { key: "subject", label: "Subject" },
  { key: "version", label: "Latest" },
  { key: "badCases", label: "Bad cases" },
  { key: "validations", label: "Validations (≈1 h)" },
  { key: "failureRate", label: "Failure rate" },
];

/** The listing query from the page's query string (unknown values fall back to defaults). */
export function toListQuery(query: ListQuery): Required<Pick<SummaryQuery, "sort" | "order">> & SummaryQuery {
  const sort = (SUMMARY_SORTS as readonly string[]).includes(query.sort ?? "")
    ? (query.sort as SummarySort)
    : "subject";
  return {
    q: (query.q ?? "").slice(0, 255),
    sort,
    order: query.order === "desc" ? "desc" : "asc",
    includeDeleted: query.deleted === "true",
  };
}

function columnLinks(query: ReturnType<typeof toListQuery>) {
  return COLUMNS.map(({ key, label }) => {
    const current = query.sort === key;
    const order = current && query.order === "asc" ? "desc" : "asc";
    const params = new URLSearchParams({ q: query.q ?? "", sort: key, order });
    if (query.includeDeleted === true) params.set("deleted", "true");
    const sorted = current ? (query.order === "asc" ? "ascending" : "descending") : null;
    return { label, href: `/ui/?${params.toString()}`, sorted };
  });
}

/** GET /ui/: the subjects list. */
export const subjectsPage: FastifyPluginAsync<ConsoleContext> = async (app, { renderer, summaries }) => {
  app.get<{ Querystring: ListQuery }>("/", { config: { scope: "none" } }, async (request, reply) => {
    const query = toListQuery(request.query);
    const listing = await summaries.list(query);
    return renderer.page(
      request,
      reply,
      "subjects",
      { title: "Subjects", section: "subjects" },
      {
        rows: listing.subjects,
        recentSince: listing.recentSince,
        columns: columnLinks(query),
        query: { ...query, deleted: query.includeDeleted },
      },
    );
  });
};
