import type { FastifyPluginAsync } from "fastify";
import type { VersionView } from "../../app/registry-types.js";
import type { RolloutEvent, RolloutSnapshot } from "../../core/rollout/model.js";
import type { ConsoleContext } from "../deps.js";
import { versionsOf } from "./subject.js";

/** One entry of a subject's timeline: when, what, who, and only the fields that changed. */
export interface TimelineEntry {
  at: string;
  what: string;
  who: string | null;
  changes: string[];
  reason: string | null;
}

const SNAPSHOT_FIELDS: Array<keyof RolloutSnapshot> = ["stage", "stable", "candidate", "percent"];

/** The fields of a rollout event that changed, as "field: from → to". */
export function changedFields(event: Pick<RolloutEvent, "from" | "to">): string[] {
  return SNAPSHOT_FIELDS.flatMap((field) => {
    const before = event.from?.[field] ?? null;
    const after = event.to[field];
    return before === after ? [] : [`${field}: ${before ?? "—"} → ${after ?? "—"}`];
  });
}

/** Registrations and rollout events of a subject, newest first. */
export function buildTimeline(
  versions: readonly VersionView[],
  events: readonly RolloutEvent[],
): TimelineEntry[] {
  const entries: TimelineEntry[] = versions.map((v) => ({
    at: v.createdAt,
    what: `registered v${v.version}`,
    who: null,
    changes: [`id ${v.id}`, `state now ${v.state}${v.deleted ? ", soft-deleted" : ""}`],
    reason: null,
  }));
  for (const e of events) {
    entries.push({
      at: e.at,
      what: `rollout ${e.action}`,
      who: e.who,
      changes: changedFields(e),
      reason: e.reason,
    });
  }
  return entries.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}

/** GET /ui/subjects/:subject/timeline. */
export const timelinePage: FastifyPluginAsync<ConsoleContext> = async (
  app,
  { registry, rollout, renderer },
) => {
  app.get<{ Params: { subject: string } }>("/subjects/:subject/timeline", async (request, reply) => {
    const { subject } = request.params;
    const [versions, events] = await Promise.all([
      versionsOf(registry, subject),
      rollout?.service.history(subject, { limit: 200 }) ?? [],
    ]);
    return renderer.page(
      request,
      reply,
      "timeline",
      { title: `${subject}: timeline`, section: "timeline", subject },
      { subject, entries: buildTimeline(versions, events) },
    );
  });
};
