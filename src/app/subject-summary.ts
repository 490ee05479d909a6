/**
 * One row per subject for overviews (the console's subjects list, GET /summary/subjects): latest version
 * and state, compatibility level, rollout, open bad cases, recent validations and failure rate. Figures
 * come from state the process already keeps (registry, cached rollout states, quarantine counts, the
 * validation counters); nothing is added to the validate path.
 */
import { StructregError } from "../core/errors.js";
import type { CompatibilityLevel, VersionState } from "../core/model.js";
import type { RolloutStage } from "../core/rollout/model.js";
import type { QuarantineService } from "./quarantine.js";
import type { RegistryService } from "./registry-types.js";
import type { RolloutService } from "./rollout-types.js";
import { schemaFieldNames } from "./schema-fields.js";

/** Validations of a subject (cumulative, from the validation counters). */
export interface ValidationTotals {
  total: number;
  failed: number;
}

/** One subject's row. */
export interface SubjectSummary {
  subject: string;
  deleted: boolean;
  latest: { version: number; id: number; state: VersionState; createdAt: string } | null;
  compatibilityLevel: CompatibilityLevel;
  rollout: { stage: RolloutStage; stable: number; candidate: number | null; percent: number } | null;
  openBadCases: number;
  /** Validations since `recentSince` (about the last hour) and the share that failed, percent. */
  validations: number;
  failureRatePercent: number | null;
}

/** Sort keys of a listing. */
export const SUMMARY_SORTS = ["subject", "version", "badCases", "validations", "failureRate"] as const;
export type SummarySort = (typeof SUMMARY_SORTS)[number];

/** A listing query. */
export interface SummaryQuery {
  /** Matches a subject name (substring), a schema id (digits), or a property name inside the latest schema. */
  q?: string;
  sort?: SummarySort;
  order?: "asc" | "desc";
  includeDeleted?: boolean;
}

/** A listing. */
export interface SummaryListing {
  subjects: SubjectSummary[];
  /** ISO-8601 start of the window `validations` counts. */
  recentSince: string;
}

/** What the summaries are built from. */
export interface SubjectSummaryDeps {
  registry: RegistryService;
  rollout?: Pick<RolloutService, "current">;
  quarantine?: Pick<QuarantineService, "counts">;
  /** Validation totals per subject since the window start, and that start. */
  recent?: () => Promise<{ since: Date; totals: ReadonlyMap<string, ValidationTotals> }>;
  now: () => Date;
}

/** Subjects summarised at most (a typed refusal past it, never an unbounded page). */
export const MAX_SUMMARY_SUBJECTS = 10_000;

/** Builds the listing. */
export function createSubjectSummaries(deps: SubjectSummaryDeps) {
  return {
    async list(query: SummaryQuery = {}): Promise<SummaryListing> {
      const names = await deps.registry.listSubjects({ includeDeleted: query.includeDeleted === true });
      if (names.length > MAX_SUMMARY_SUBJECTS) {
        throw new StructregError("SR_INVALID_REQUEST", `More than ${MAX_SUMMARY_SUBJECTS} subjects`, {
          hint: "list subjects with GET /subjects",
        });
      }
      const live = new Set(query.includeDeleted === true ? await deps.registry.listSubjects() : names);
      const [counts, recent, global] = await Promise.all([
        deps.quarantine?.counts() ?? [],
        deps.recent?.() ?? { since: deps.now(), totals: new Map<string, ValidationTotals>() },
        deps.registry.getConfig(null),
      ]);
      const open = new Map(counts.map((c) => [c.subject, c.open]));
      const ids = await idMatches(deps.registry, query.q);
      const rows: SubjectSummary[] = [];
      for (const subject of names) {
        const row = await summarise(deps, subject, !live.has(subject), global.compatibilityLevel);
        row.openBadCases = open.get(subject) ?? 0;
        const totals = recent.totals.get(subject);
        row.validations = totals?.total ?? 0;
        row.failureRatePercent = totals && totals.total > 0 ? (100 * totals.failed) / totals.total : null;
        if (await matches(deps.registry, row, query.q, ids)) rows.push(row);
      }
      return { subjects: sortRows(rows, query), recentSince: recent.since.toISOString() };
    },
  };
}

/** The summaries service. */
export type SubjectSummaries = ReturnType<typeof createSubjectSummaries>;

async function summarise(
  deps: SubjectSummaryDeps,
  subject: string,
  deleted: boolean,
  globalLevel: CompatibilityLevel,
): Promise<SubjectSummary> {
  const latest = deleted ? null : await latestOf(deps.registry, subject);
  const own = deleted
    ? undefined
    : await deps.registry.getConfig(subject, { defaultToGlobal: false }).catch(() => undefined);
  const state = deps.rollout?.current(subject);
  return {
    subject,
    deleted,
    latest,
    compatibilityLevel: own?.compatibilityLevel ?? globalLevel,
    rollout:
      state === undefined
        ? null
        : { stage: state.stage, stable: state.stable, candidate: state.candidate, percent: state.percent },
    openBadCases: 0,
    validations: 0,
    failureRatePercent: null,
  };
}

async function latestOf(registry: RegistryService, subject: string): Promise<SubjectSummary["latest"]> {
  try {
    const view = await registry.getVersion(subject, "latest");
    return { version: view.version, id: view.id, state: view.state, createdAt: view.createdAt };
  } catch {
    // Every version disabled or deleted: the subject has no latest.
    return null;
  }
}

async function idMatches(registry: RegistryService, q: string | undefined): Promise<Set<string>> {
  if (q === undefined || !/^\d{1,9}$/.test(q.trim())) return new Set();
  const found = await registry.getSubjectVersionsById(Number(q.trim())).catch(() => []);
  return new Set(found.map((f) => f.subject));
}

async function matches(
  registry: RegistryService,
  row: SubjectSummary,
  q: string | undefined,
  ids: ReadonlySet<string>,
): Promise<boolean> {
  const needle = q?.trim().toLowerCase() ?? "";
  if (needle === "") return true;
  if (row.subject.toLowerCase().includes(needle) || ids.has(row.subject)) return true;
  if (row.latest === null) return false;
  const view = await registry.getVersion(row.subject, row.latest.version);
  return schemaFieldNames(view.schema).some((name) => name.toLowerCase() === needle);
}

const SORT_KEYS: Record<SummarySort, (row: SubjectSummary) => number | string> = {
  subject: (row) => row.subject,
  version: (row) => row.latest?.version ?? 0,
  badCases: (row) => row.openBadCases,
  validations: (row) => row.validations,
  failureRate: (row) => row.failureRatePercent ?? -1,
};

function sortRows(rows: SubjectSummary[], query: SummaryQuery): SubjectSummary[] {
  const key = SORT_KEYS[query.sort ?? "subject"];
  const sign = query.order === "desc" ? -1 : 1;
  return rows.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    const byKey = ka < kb ? -1 : ka > kb ? 1 : 0;
    return sign * byKey || a.subject.localeCompare(b.subject);
  });
}
