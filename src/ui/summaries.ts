import type { Registry } from "prom-client";
import { createRecentCounts } from "../app/recent-counts.js";
import {
  createSubjectSummaries,
  type SubjectSummaries,
  type ValidationTotals,
} from "../app/subject-summary.js";
import type { ConsoleDeps } from "./deps.js";

/** Reads the validation counter's totals per subject (what /metrics would show). */
export function readValidationTotals(registry: Registry | undefined) {
  return async (): Promise<Map<string, ValidationTotals>> => {
    const out = new Map<string, ValidationTotals>();
    const metric = registry?.getSingleMetric("structreg_validations_total");
    if (metric === undefined) return out;
    const { values } = await metric.get();
    for (const { labels, value } of values) {
      const subject = String(labels.subject);
      const row = out.get(subject) ?? { total: 0, failed: 0 };
      row.total += value;
      if (labels.outcome === "failed") row.failed += value;
      out.set(subject, row);
    }
    return out;
  };
}

/** The summaries over the console's services, with a minute timer keeping the hour's snapshots. */
export function createSummaries(deps: ConsoleDeps): { summaries: SubjectSummaries; stop: () => void } {
  const recent = createRecentCounts(readValidationTotals(deps.metrics?.registry));
  const timer = setInterval(() => void recent.sample().catch(() => {}), 60_000);
  timer.unref();
  const summaries = createSubjectSummaries({
    registry: deps.registry,
    ...(deps.rollout === undefined ? {} : { rollout: deps.rollout.service }),
    ...(deps.quarantine === undefined ? {} : { quarantine: deps.quarantine }),
    recent: () => recent.recent(),
    now: () => new Date(),
  });
  return { summaries, stop: () => clearInterval(timer) };
}
