import type { FastifyPluginAsync } from "fastify";
import { StructregError } from "../../core/errors.js";
import type { JsonSchema } from "../../core/json.js";
import type { ConsoleContext } from "../deps.js";
import { buildDiffView } from "../diff-view.js";
import { versionsOf } from "./subject.js";

const QUERY = {
  type: "object",
  properties: { from: { type: "integer", minimum: 1 }, to: { type: "integer", minimum: 1 } },
} as const;

/** GET /ui/subjects/:subject/diff?from=&to=: two versions side by side with every difference named. */
export const diffPage: FastifyPluginAsync<ConsoleContext> = async (app, { registry, renderer }) => {
  app.get<{ Params: { subject: string }; Querystring: { from?: number; to?: number } }>(
    "/subjects/:subject/diff",
    { schema: { querystring: QUERY } },
    async (request, reply) => {
      const { subject } = request.params;
      const versions = await versionsOf(registry, subject);
      const live = versions.filter((v) => !v.deleted);
      const to = request.query.to ?? live[0]?.version;
      const from = request.query.from ?? live.find((v) => v.version < (to ?? 0))?.version;
      const layout = { title: `${subject}: diff`, section: "diff", subject };
      if (to === undefined || from === undefined) {
        return renderer.page(request, reply, "diff", layout, { subject, versions, from, to, view: null });
      }
      const [a, b, config] = await Promise.all([
        registry.getVersion(subject, from, { includeDeleted: true }),
        registry.getVersion(subject, to, { includeDeleted: true }),
        registry.getConfig(subject),
      ]);
      // With references, both sides are compared in their bundled form (what compatibility judges).
      const bundled = a.references !== undefined || b.references !== undefined;
      const [left, right] = bundled
        ? await Promise.all([
            registry.getBundledSchema(subject, from, { includeDeleted: true }),
            registry.getBundledSchema(subject, to, { includeDeleted: true }),
          ])
        : [parse(a.schema), parse(b.schema)];
      const view = buildDiffView(left, right, config);
      return renderer.page(
        request,
        reply,
        "diff",
        { ...layout, title: `${subject}: v${from} → v${to}` },
        {
          subject,
          versions,
          from,
          to,
          config,
          view,
        },
      );
    },
  );
};

function parse(text: string): JsonSchema {
  try {
    return JSON.parse(text) as JsonSchema;
  } catch (cause) {
    throw new StructregError("SR_INVALID_SCHEMA", "Stored schema is not JSON", { cause });
  }
}
