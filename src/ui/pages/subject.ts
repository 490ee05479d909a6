import type { FastifyInstance, FastifyPluginAsync, FastifyReply } from "fastify";
import type { RegistryService, VersionView } from "../../app/registry-types.js";
import { VERSION_STATES, type VersionState } from "../../core/model.js";
import type { ConsoleContext } from "../deps.js";

type SubjectParams = { subject: string };
type VersionParams = SubjectParams & { version: number };

const VERSION_PARAMS = {
  type: "object",
  required: ["subject", "version"],
  properties: { subject: { type: "string" }, version: { type: "integer", minimum: 1 } },
} as const;

/** Every version of the subject, soft-deleted ones included (newest first). */
export async function versionsOf(registry: RegistryService, subject: string): Promise<VersionView[]> {
  const numbers = await registry.listVersions(subject, { includeDeleted: true });
  const views = await Promise.all(
    numbers.map((n) => registry.getVersion(subject, n, { includeDeleted: true })),
  );
  return views.reverse();
}

function pretty(text: string): string {
  return JSON.stringify(JSON.parse(text), null, 2);
}

/** Reloads the page after an action (htmx follows the header). */
function reload(reply: FastifyReply, to?: string): FastifyReply {
  return reply
    .code(204)
    .header(to === undefined ? "hx-refresh" : "hx-redirect", to ?? "true")
    .send();
}

/** What the subject view shows: every version, one schema in both forms, the effective config. */
async function subjectView(registry: RegistryService, subject: string, version: number | undefined) {
  const versions = await versionsOf(registry, subject);
  const live = versions.filter((v) => !v.deleted);
  const shown = versions.find((v) => v.version === version) ?? live[0] ?? versions[0];
  const provider = shown && !shown.deleted ? await providerText(registry, subject, shown.version) : null;
  return {
    subject,
    versions,
    shown: shown ?? null,
    schemaText: shown ? pretty(shown.schema) : "",
    providerText: provider,
    config: await registry.getConfig(subject),
    states: VERSION_STATES,
    previous: live[1]?.version ?? null,
    latest: live[0]?.version ?? null,
    allDeleted: live.length === 0,
    references: shown?.references ?? [],
    referencedBy: shown ? await referrersOf(registry, subject, shown.version) : [],
  };
}

/** The subject versions whose schemas reference this version (Confluent's referencedby, as links). */
async function referrersOf(
  registry: RegistryService,
  subject: string,
  version: number,
): Promise<Array<{ subject: string; version: number }>> {
  const ids = await registry.getReferencedBy(subject, version);
  const found = await Promise.all(ids.map((id) => registry.getSubjectVersionsById(id)));
  return found.flat();
}

/** State changes (write) and deletes (admin), each reloading the page. */
function registerSubjectActions(app: FastifyInstance, registry: RegistryService): void {
  app.post<{ Params: VersionParams; Body: { state: VersionState } }>(
    "/subjects/:subject/versions/:version/state",
    { config: { consoleScope: "write" }, schema: { params: VERSION_PARAMS, body: STATE_BODY } },
    async (request, reply) => {
      const { subject, version } = request.params;
      await registry.setVersionState(subject, version, request.body.state);
      return reload(reply);
    },
  );
  app.post<{ Params: VersionParams; Body: { permanent?: boolean } }>(
    "/subjects/:subject/versions/:version/delete",
    { config: { consoleScope: "admin" }, schema: { params: VERSION_PARAMS, body: PERMANENT_BODY } },
    async (request, reply) => {
      const { subject, version } = request.params;
      await registry.deleteVersion(subject, version, { permanent: request.body?.permanent === true });
      return reload(reply);
    },
  );
  app.post<{ Params: SubjectParams; Body: { permanent?: boolean } }>(
    "/subjects/:subject/delete",
    { config: { consoleScope: "admin" }, schema: { body: PERMANENT_BODY } },
    async (request, reply) => {
      const permanent = request.body?.permanent === true;
      await registry.deleteSubject(request.params.subject, { permanent });
      return reload(reply, permanent ? "/ui/" : "/ui/?deleted=true");
    },
  );
}

/** GET /ui/subjects/:subject: versions, the schema (pretty JSON / provider form), state changes, deletes. */
export const subjectPage: FastifyPluginAsync<ConsoleContext> = async (app, { registry, renderer }) => {
  app.get<{ Params: SubjectParams; Querystring: { version?: number } }>(
    "/subjects/:subject",
    { schema: { querystring: { type: "object", properties: { version: { type: "integer", minimum: 1 } } } } },
    async (request, reply) => {
      const { subject } = request.params;
      const layout = { title: subject, section: "subject", subject };
      const view = await subjectView(registry, subject, request.query.version);
      return renderer.page(request, reply, "subject", layout, view);
    },
  );
  registerSubjectActions(app, registry);
};

const STATE_BODY = {
  type: "object",
  required: ["state"],
  properties: { state: { type: "string", enum: VERSION_STATES } },
} as const;

const PERMANENT_BODY = {
  type: "object",
  properties: { permanent: { type: "boolean" } },
} as const;

async function providerText(
  registry: RegistryService,
  subject: string,
  version: number,
): Promise<string | null> {
  try {
    return JSON.stringify(await registry.getProviderSchema(subject, version), null, 2);
  } catch {
    // A DISABLED version has no provider form to show.
    return null;
  }
}
