import type { FastifyPluginAsync } from "fastify";
import { COMPATIBILITY_LEVELS, COMPATIBILITY_POLICIES, PROFILES } from "../../core/model.js";
import { consoleAuthor } from "../author.js";
import type { ConsoleContext } from "../deps.js";
import { REASON } from "./subject.js";

interface SettingsBody {
  subject?: string;
  compatibility: (typeof COMPATIBILITY_LEVELS)[number];
  policy: (typeof COMPATIBILITY_POLICIES)[number];
  profile: (typeof PROFILES)[number];
}

const SETTINGS_BODY = {
  type: "object",
  required: ["compatibility", "policy", "profile"],
  properties: {
    subject: { type: "string", maxLength: 255 },
    compatibility: { type: "string", enum: COMPATIBILITY_LEVELS },
    policy: { type: "string", enum: COMPATIBILITY_POLICIES },
    profile: { type: "string", enum: PROFILES },
    reason: REASON,
  },
} as const;

/** GET /ui/settings: global and per-subject compatibility level, policy and profile (changes need admin). */
export const settingsPage: FastifyPluginAsync<ConsoleContext> = async (app, { registry, renderer }) => {
  app.get<{ Querystring: { subject?: string } }>("/settings", async (request, reply) => {
    const subjects = await registry.listSubjects();
    const subject = subjects.includes(request.query.subject ?? "") ? (request.query.subject as string) : null;
    const global = await registry.getConfig(null);
    const own =
      subject === null
        ? null
        : await registry.getConfig(subject, { defaultToGlobal: false }).catch(() => null);
    const effective = subject === null ? null : await registry.getConfig(subject);
    return renderer.page(
      request,
      reply,
      "settings",
      { title: "Settings", section: "settings" },
      {
        subjects,
        subject,
        global,
        own,
        effective,
        levels: COMPATIBILITY_LEVELS,
        policies: COMPATIBILITY_POLICIES,
        profiles: PROFILES,
      },
    );
  });

  app.post<{ Body: SettingsBody }>(
    "/settings",
    { config: { consoleScope: "admin" }, schema: { body: SETTINGS_BODY } },
    async (request, reply) => {
      const { subject, compatibility, policy, profile } = request.body;
      await registry.setConfig(
        subject === undefined || subject === "" ? null : subject,
        { compatibility, policy, profile },
        consoleAuthor(request),
      );
      return reply.code(204).header("hx-refresh", "true").send();
    },
  );

  app.post<{ Body: { subject: string } }>(
    "/settings/reset",
    {
      config: { consoleScope: "admin" },
      schema: {
        body: {
          type: "object",
          required: ["subject"],
          properties: { subject: { type: "string", minLength: 1 }, reason: REASON },
        },
      },
    },
    async (request, reply) => {
      await registry.deleteConfig(request.body.subject, consoleAuthor(request));
      return reply.code(204).header("hx-refresh", "true").send();
    },
  );
};
