import { Readable } from "node:stream";
import type { FastifyPluginAsync } from "fastify";
import type { QuarantineQuery } from "../../app/validation-types.js";
import { StructregError } from "../../core/errors.js";
import type { ConsoleContext } from "../deps.js";
import { markIssues } from "../sample-view.js";
import { versionsOf } from "./subject.js";

type Params = { subject: string };
interface Filters {
  status?: string;
  reason?: string;
  version?: string;
  since?: string;
  until?: string;
  cursor?: string;
}

const REASONS = ["invalid", "no_json", "refusal", "incomplete", "failed", "too_large", "too_deep"] as const;
const PAGE_SIZE = 25;

function positive(text: string | undefined): number | undefined {
  return text !== undefined && /^\d{1,9}$/.test(text) && Number(text) > 0 ? Number(text) : undefined;
}

function isoOrUndefined(text: string | undefined): string | undefined {
  if (text === undefined || text === "") return undefined;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) {
    throw new StructregError("SR_INVALID_REQUEST", `Not a date: ${text.slice(0, 40)}`, {
      hint: "use YYYY-MM-DD or ISO-8601",
    });
  }
  return date.toISOString();
}

/** The store query of the page's filters (empty fields mean no filter). */
export function toQuarantineQuery(subject: string, f: Filters): Omit<QuarantineQuery, "limit"> {
  const q: Omit<QuarantineQuery, "limit"> = { subject };
  if (f.status === "open" || f.status === "resolved") q.status = f.status;
  if ((REASONS as readonly string[]).includes(f.reason ?? ""))
    q.reason = f.reason as (typeof REASONS)[number];
  const version = positive(f.version);
  if (version !== undefined) q.version = version;
  const since = isoOrUndefined(f.since);
  if (since !== undefined) q.since = since;
  const until = isoOrUndefined(f.until);
  if (until !== undefined) q.until = until;
  const cursor = positive(f.cursor);
  if (cursor !== undefined) q.cursor = cursor;
  return q;
}

/** The bad cases (quarantine) of a subject: filters, paging, one sample, replay, JSONL export. */
export const badCasesPage: FastifyPluginAsync<ConsoleContext> = async (
  app,
  { registry, quarantine, renderer },
) => {
  if (quarantine === undefined) return;
  app.get<{ Params: Params; Querystring: Filters }>(
    "/subjects/:subject/bad-cases",
    async (request, reply) => {
      const { subject } = request.params;
      const query = toQuarantineQuery(subject, request.query);
      const [page, versions] = await Promise.all([
        quarantine.list({ ...query, limit: PAGE_SIZE }),
        versionsOf(registry, subject),
      ]);
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(request.query))
        if (k !== "cursor" && typeof v === "string") params.set(k, v);
      const next = page.nextCursor === undefined ? null : `${params.toString()}&cursor=${page.nextCursor}`;
      return renderer.page(
        request,
        reply,
        "bad-cases",
        { title: `${subject}: bad cases`, section: "bad-cases", subject },
        {
          subject,
          items: page.items,
          filters: request.query,
          reasons: REASONS,
          versions,
          next,
          filterQuery: params.toString(),
        },
      );
    },
  );

  app.get<{ Params: Params; Querystring: Filters }>(
    "/subjects/:subject/bad-cases/export",
    async (request, reply) => {
      const { cursor: _cursor, ...query } = toQuarantineQuery(request.params.subject, request.query);
      const name = `${request.params.subject}-bad-cases.jsonl`.replace(/[^\w.-]/g, "_");
      return reply
        .type("application/x-ndjson")
        .header("content-disposition", `attachment; filename="${name}"`)
        .send(Readable.from(quarantine.exportJsonl(query)));
    },
  );

  app.get<{ Params: { id: number } }>(
    "/bad-cases/:id",
    { schema: { params: { type: "object", properties: { id: { type: "integer", minimum: 1 } } } } },
    async (request, reply) => {
      const sample = await quarantine.get(request.params.id);
      const versions = await versionsOf(registry, sample.subject);
      return renderer.page(
        request,
        reply,
        "sample",
        { title: `Bad case ${sample.id}`, section: "bad-cases", subject: sample.subject },
        { sample, marked: markIssues(sample.raw, sample.issues), versions },
      );
    },
  );

  app.post<{ Params: Params; Body: { ids?: string[]; version?: string; all?: string } }>(
    "/subjects/:subject/bad-cases/replay",
    { config: { consoleScope: "write" } },
    async (request, reply) => {
      const body = request.body ?? {};
      const ids = (body.ids ?? []).map((id) => positive(String(id))).filter((id) => id !== undefined);
      if (body.all !== "true" && ids.length === 0) {
        throw new StructregError("SR_INVALID_REQUEST", "Select samples to replay, or replay all open ones", {
          hint: "tick the samples' boxes first",
        });
      }
      const version = positive(body.version);
      const summary = await quarantine.replay(request.params.subject, {
        ...(body.all === "true" ? {} : { ids: ids.slice(0, 1000) }),
        ...(version === undefined ? {} : { version }),
      });
      return renderer.fragment(reply, "replay-result", { summary, version: version ?? null });
    },
  );
};
