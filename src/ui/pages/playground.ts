import type { FastifyPluginAsync } from "fastify";
import type { ConsoleContext } from "../deps.js";
import { markIssues } from "../sample-view.js";
import { versionsOf } from "./subject.js";

interface PlayBody {
  subject: string;
  output: string;
  version?: string;
  key?: string;
}

const PLAY_BODY = {
  type: "object",
  required: ["subject", "output"],
  properties: {
    subject: { type: "string", minLength: 1, maxLength: 255 },
    output: { type: "string", maxLength: 1_048_576 },
    version: { type: "string", maxLength: 10 },
    key: { type: "string", maxLength: 255 },
  },
} as const;

/**
 * GET /ui/playground: paste a model output, pick a version or a key, see the outcome. A dry run: nothing is
 * quarantined and no metric or guard counts it (validate-and-parse's `dryRun`).
 */
export const playgroundPage: FastifyPluginAsync<ConsoleContext> = async (
  app,
  { registry, validation, renderer },
) => {
  if (validation === undefined) return;
  app.get<{ Querystring: { subject?: string } }>("/playground", async (request, reply) => {
    const subjects = await registry.listSubjects();
    const subject = subjects.includes(request.query.subject ?? "")
      ? (request.query.subject as string)
      : subjects[0];
    const versions = subject === undefined ? [] : await versionsOf(registry, subject);
    return renderer.page(
      request,
      reply,
      "playground",
      { title: "Playground", section: "playground" },
      {
        subjects,
        subject: subject ?? null,
        versions: versions.filter((v) => !v.deleted),
      },
    );
  });

  app.post<{ Body: PlayBody }>("/playground", { schema: { body: PLAY_BODY } }, async (request, reply) => {
    const { subject, output, version, key } = request.body;
    const pinned = version !== undefined && /^\d{1,9}$/.test(version) ? Number(version) : undefined;
    const outcome = await validation.validate(subject, output, {
      dryRun: true,
      ...(pinned === undefined ? {} : { version: pinned }),
      ...(key === undefined || key === "" ? {} : { key }),
    });
    return renderer.fragment(reply, "playground-result", {
      outcome,
      data: outcome.ok ? JSON.stringify(outcome.data, null, 2) : null,
      marked: outcome.ok ? null : markIssues(output, outcome.issues),
    });
  });
};
