import type { FastifyInstance, FastifyPluginAsync } from "fastify";
import type { QuarantineService } from "../../app/quarantine.js";
import type { RegistryService } from "../../app/registry-types.js";
import type { ValidationService } from "../../app/validation.js";
import { type ErrorCode, StructregError } from "../../core/errors.js";
import type { JsonSchema } from "../../core/json.js";
import type { Parser } from "../../core/parse/pipeline.js";
import { consoleAuthor } from "../author.js";
import type { AcceptedSampleReader, ConsoleContext } from "../deps.js";

interface DraftBody {
  subject: string;
  schema: string;
}

const DRAFT_BODY = {
  type: "object",
  required: ["subject", "schema"],
  properties: {
    subject: { type: "string", minLength: 1, maxLength: 255 },
    schema: { type: "string", minLength: 1 },
  },
} as const;

/** Recent bad cases replayed against a draft at most. */
export const EVIDENCE_SAMPLES = 200;
/** Recent accepted outputs replayed against a draft at most (the ring keeps STRUCTREG_ACCEPTED_SAMPLES). */
export const EVIDENCE_ACCEPTED = 200;

/** How one source's outputs fare under the draft. */
export interface EvidenceCounts {
  sampled: number;
  counts: { accept: number; repair: number; reject: number };
  /** The first rejected ones (a bad case's id links to it; accepted samples have no page). */
  rejected: Array<{ id: number; reason: string }>;
}

/** The version number a new schema would get (the next after every version ever numbered). */
async function nextVersion(registry: RegistryService, subject: string): Promise<number> {
  const numbers = await registry.listVersions(subject, { includeDeleted: true }).catch(() => []);
  return numbers.length === 0 ? 1 : Math.max(...numbers) + 1;
}

function parseDraft(text: string): JsonSchema {
  try {
    return JSON.parse(text) as JsonSchema;
  } catch (cause) {
    throw new StructregError("SR_INVALID_SCHEMA", "The draft is not JSON", {
      hint: "paste a JSON Schema (a Zod schema's z.toJSONSchema output works)",
      cause,
    });
  }
}

/** Each output through the draft's parser (strict, then tolerant): how many accept, repair, reject. */
function replay(parser: Parser, samples: ReadonlyArray<{ id: number; raw: string }>): EvidenceCounts {
  const counts = { accept: 0, repair: 0, reject: 0 };
  const rejected: Array<{ id: number; reason: string }> = [];
  for (const sample of samples) {
    const result = parser.parse(sample.raw);
    if (!result.ok) {
      counts.reject += 1;
      if (rejected.length < 20) rejected.push({ id: sample.id, reason: result.reason });
    } else if (result.track === "strict") counts.accept += 1;
    else counts.repair += 1;
  }
  return { sampled: samples.length, counts, rejected };
}

/**
 * How the subject's recent bad cases and recent accepted outputs would fare under the draft, without
 * registering it. A dry run: nothing is quarantined, counted or resolved.
 */
export async function evidenceFor(
  deps: {
    validation: ValidationService;
    quarantine: QuarantineService;
    accepted?: AcceptedSampleReader | undefined;
  },
  subject: string,
  schema: JsonSchema,
  fingerprint: string,
) {
  const parser = deps.validation.parser({ version: 0, id: 0, fingerprint, state: "ENABLED", schema });
  const [page, accepted] = await Promise.all([
    deps.quarantine.list({ subject, limit: EVIDENCE_SAMPLES }),
    deps.accepted?.list(subject, EVIDENCE_ACCEPTED) ?? null,
  ]);
  return {
    quarantined: replay(parser, page.items),
    // null: accepted outputs are not kept (STRUCTREG_ACCEPTED_SAMPLES=0).
    accepted: accepted === null ? null : replay(parser, accepted),
  };
}

/** The latest schema of an existing subject, pretty-printed, as the draft to start from. */
async function startingDraft(registry: RegistryService, subjects: readonly string[], subject: string) {
  if (!subjects.includes(subject)) return "";
  const latest = await registry.getVersion(subject, "latest").catch(() => undefined);
  return latest === undefined ? "" : JSON.stringify(JSON.parse(latest.schema), null, 2);
}

/** POST /ui/check/evidence: the draft against the subject's recent bad cases (a dry run). */
function registerEvidence(app: FastifyInstance, context: ConsoleContext): void {
  const { registry, renderer, validation, quarantine, acceptedSamples } = context;
  if (validation === undefined || quarantine === undefined) return;
  app.post<{ Body: DraftBody }>(
    "/check/evidence",
    { schema: { body: DRAFT_BODY } },
    async (request, reply) => {
      const { subject, schema } = request.body;
      const draft = parseDraft(schema);
      const verdict = await registry.check(subject, draft);
      if (verdict.error !== undefined) {
        throw new StructregError(verdict.error.code as ErrorCode, verdict.error.message);
      }
      const sources = { validation, quarantine, accepted: acceptedSamples };
      const evidence = await evidenceFor(sources, subject, draft, verdict.fingerprint);
      return renderer.fragment(reply, "evidence", { subject, evidence });
    },
  );
}

/** GET /ui/check: paste a schema, see lint, compatibility and the version it would get; then register. */
export const checkPage: FastifyPluginAsync<ConsoleContext> = async (app, context) => {
  const { registry, renderer } = context;
  app.get<{ Querystring: { subject?: string } }>("/check", async (request, reply) => {
    const subjects = await registry.listSubjects();
    const subject = request.query.subject ?? "";
    const schema = await startingDraft(registry, subjects, subject);
    const evidence = context.quarantine !== undefined && context.validation !== undefined;
    const layout = { title: "Check and register", section: "check" };
    return renderer.page(request, reply, "check", layout, { subjects, subject, schema, evidence });
  });
  app.post<{ Body: DraftBody }>("/check", { schema: { body: DRAFT_BODY } }, async (request, reply) => {
    const { subject, schema } = request.body;
    const verdict = await registry.check(subject, parseDraft(schema));
    const version = verdict.existing?.version ?? (await nextVersion(registry, subject));
    return renderer.fragment(reply, "check-result", { subject, verdict, version });
  });
  registerEvidence(app, context);
  app.post<{ Body: DraftBody }>(
    "/register",
    { config: { consoleScope: "write" }, schema: { body: DRAFT_BODY } },
    async (request, reply) => {
      const { subject, schema } = request.body;
      const result = await registry.register(subject, parseDraft(schema), { author: consoleAuthor(request) });
      const to = `/ui/subjects/${encodeURIComponent(subject)}?version=${result.version}`;
      return reply.code(204).header("hx-redirect", to).send();
    },
  );
};
