import { Readable } from "node:stream";
import type { FastifyInstance, FastifyPluginAsync } from "fastify";
import type { QuarantineService } from "../../app/quarantine.js";
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

/** The listing's paging links keep the filters (and drop the cursor). */
function pagingQuery(filters: Filters, nextCursor: number | undefined) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (k !== "cursor" && typeof v === "string") params.set(k, v);
  const next = nextCursor === undefined ? null : `${params.toString()}&cursor=${nextCursor}`;
  return { filterQuery: params.toString(), next };
}

const REPLAY_BODY = {
  type: "object",
  properties: {
    ids: { type: "array", maxItems: 1000, items: { type: "string", pattern: "^[0-9]{1,9}$" } },
    version: { type: "string", maxLength: 10 },
    all: { type: "string", enum: ["true", "false"] },
  },
} as const;
type ReplayBody = { ids?: string[]; version?: string; all?: "true" | "false" };

/** Replays the selected samples, or all open ones, optionally against one version. */
async function replay(quarantine: QuarantineService, subject: string, body: ReplayBody) {
  const ids = (body.ids ?? []).map((id) => positive(id)).filter((id) => id !== undefined);
  if (body.all !== "true" && ids.length === 0) {
    throw new StructregError("SR_INVALID_REQUEST", "Select samples to replay, or replay all open ones", {
      hint: "tick the samples' boxes first",
    });
  }
  const version = positive(body.version);
  const summary = await quarantine.replay(subject, {
    ...(body.all === "true" ? {} : { ids }),
    ...(version === undefined ? {} : { version }),
  });
  return { summary, version: version ?? null };
}

type SampleDeps = Pick<ConsoleContext, "registry" | "renderer"> & { quarantine: QuarantineService };

function registerSampleRoutes(app: FastifyInstance, { registry, quarantine, renderer }: SampleDeps) {
  app.get<{ Params: { id: number } }>(
    "/bad-cases/:id",
    { schema: { params: { type: "object", properties: { id: { type: "integer", minimum: 1 } } } } },
    async (request, reply) => {
      const sample = await quarantine.get(request.params.id);
      const versions = await versionsOf(registry, sample.subject);
      const layout = { title: `Bad case ${sample.id}`, section: "bad-cases", subject: sample.subject };
      const view = { sample, marked: markIssues(sample.raw, sample.issues), versions };
      return renderer.page(request, reply, "sample", layout, view);
    },
  );
  app.post<{ Params: Params; Body: ReplayBody }>(
    "/subjects/:subject/bad-cases/replay",
    { config: { consoleScope: "write" }, schema: { body: REPLAY_BODY } },
    async (request, reply) =>
      renderer.fragment(
        reply,
        "replay-result",
        await replay(quarantine, request.params.subject, request.body ?? {}),
      ),
  );
}

/** The bad cases (quarantine) of a subject: filters, paging, one sample, replay, JSONL export. */
export const badCasesPage: FastifyPluginAsync<ConsoleContext> = async (app, context) => {
  const { registry, quarantine, renderer } = context;
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
      const layout = { title: `${subject}: bad cases`, section: "bad-cases", subject };
      const view = { subject, items: page.items, filters: request.query, reasons: REASONS, versions };
      return renderer.page(request, reply, "bad-cases", layout, {
        ...view,
        ...pagingQuery(request.query, page.nextCursor),
      });
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
  registerSampleRoutes(app, { registry, quarantine, renderer });
};
