import type { FastifyPluginAsync } from "fastify";
import type { RegistryEvent, RegistryEventKind } from "../../app/registry-events.js";
import type { RolloutEvent, RolloutSnapshot } from "../../core/rollout/model.js";
import type { ConsoleContext } from "../deps.js";

/** One entry of a subject's timeline: when, what, who, and only the fields that changed. */
export interface TimelineEntry {
  at: string;
  what: string;
  who: string | null;
  changes: string[];
  reason: string | null;
  /** "registry" or "rollout": where the entry comes from (the REST endpoint that lists it). */
  source: "registry" | "rollout";
}

/** Entries shown from each source. */
export const TIMELINE_LIMIT = 200;

const SNAPSHOT_FIELDS: Array<keyof RolloutSnapshot> = ["stage", "stable", "candidate", "percent"];

/** The fields of a rollout event that changed, as "field: from → to". */
export function changedFields(event: Pick<RolloutEvent, "from" | "to">): string[] {
  return SNAPSHOT_FIELDS.flatMap((field) => {
    const before = event.from?.[field] ?? null;
    const after = event.to[field];
    return before === after ? [] : [`${field}: ${before ?? "—"} → ${after ?? "—"}`];
  });
}

const REGISTRY_WHAT: Record<RegistryEventKind, (version: string) => string> = {
  registered: (v) => `registered ${v}`,
  "state-changed": (v) => `state of ${v} changed`,
  "version-deleted": (v) => `${v} soft-deleted`,
  "version-deleted-permanently": (v) => `${v} deleted permanently`,
  "subject-deleted": () => "subject soft-deleted",
  "subject-deleted-permanently": () => "subject deleted permanently",
  "config-changed": () => "settings changed",
  "config-deleted": () => "own settings dropped (global ones apply)",
};

function shown(value: unknown): string {
  if (value === null || value === undefined) return "—";
  return Array.isArray(value) ? value.map((v) => `v${v}`).join(", ") : String(value);
}

/** A registry event as a timeline entry: "field: from → to" for each change (a registration: its id). */
export function registryEntry(event: RegistryEvent): TimelineEntry {
  // A subject's own setting that was absent is inherited (from the global config or the default).
  const absent = event.kind.startsWith("config-") ? "inherited" : null;
  const changes = Object.entries(event.changes).map(([field, { from, to }]) => {
    if (from === null && absent === null) return `${field}: ${shown(to)}`;
    return `${field}: ${shown(from ?? absent)} → ${shown(to ?? absent)}`;
  });
  const who = event.scope === null ? event.who : `${event.who} (${event.scope})`;
  return {
    at: event.at,
    what: REGISTRY_WHAT[event.kind](`v${event.version ?? "?"}`),
    who,
    changes,
    reason: event.reason,
    source: "registry",
  };
}

/** Registry and rollout events of a subject in one list, newest first. */
export function buildTimeline(
  registry: readonly RegistryEvent[],
  rollout: readonly RolloutEvent[],
): TimelineEntry[] {
  const entries = registry.map(registryEntry);
  for (const e of rollout) {
    entries.push({
      at: e.at,
      what: `rollout ${e.action}`,
      who: e.who,
      changes: changedFields(e),
      reason: e.reason,
      source: "rollout",
    });
  }
  // Stable sort: same-millisecond entries of one source keep their (newest-first) order.
  return entries.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}

/** GET /ui/subjects/:subject/timeline. */
export const timelinePage: FastifyPluginAsync<ConsoleContext> = async (
  app,
  { registry, rollout, renderer },
) => {
  app.get<{ Params: { subject: string } }>("/subjects/:subject/timeline", async (request, reply) => {
    const { subject } = request.params;
    const [events, rolloutEvents] = await Promise.all([
      registry.listEvents(subject, { limit: TIMELINE_LIMIT }),
      rollout?.service.history(subject, { limit: TIMELINE_LIMIT }).catch(() => []) ?? [],
    ]);
    return renderer.page(
      request,
      reply,
      "timeline",
      { title: `${subject}: timeline`, section: "timeline", subject },
      { subject, entries: buildTimeline(events, rolloutEvents), limit: TIMELINE_LIMIT },
    );
  });
};
