/**
 * Prometheus metrics of rollouts: the state per subject as gauges (read from the service on each scrape),
 * candidate/stable outcomes by path (served to callers, or shadow runs), and automatic rollbacks.
 */

import { Counter, Gauge, type Registry } from "prom-client";
import { ROLLOUT_STAGES } from "../core/rollout/model.js";
import type { RolloutGuardDeps } from "./guard.js";
import { LabelBudget, MAX_SUBJECT_LABELS } from "./label-budget.js";
import type { RolloutService } from "./rollout-types.js";

/** Callbacks to hand to the guard. */
export interface RolloutMetrics {
  onRecord: NonNullable<RolloutGuardDeps["onRecord"]>;
  onTrip: (subject: string) => void;
}

/** Registers the rollout metrics on `registry`; state gauges read `rollout.states()` when scraped. */
export function createRolloutMetrics(
  registry: Registry,
  rollout: Pick<RolloutService, "states">,
): RolloutMetrics {
  const gauge = (name: string, help: string, labelNames: string[], fill: (g: Gauge) => void) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        fill(this);
      },
    });
  gauge(
    "structreg_rollout_stable_version",
    "Stable version per subject with a rollout.",
    ["subject"],
    (g) => {
      for (const s of rollout.states()) g.set({ subject: s.subject }, s.stable);
    },
  );
  gauge("structreg_rollout_candidate_version", "Candidate version (0: none).", ["subject"], (g) => {
    for (const s of rollout.states()) g.set({ subject: s.subject }, s.candidate ?? 0);
  });
  gauge("structreg_rollout_percent", "Share of keys on the candidate while ramping.", ["subject"], (g) => {
    for (const s of rollout.states()) g.set({ subject: s.subject }, s.stage === "ramping" ? s.percent : 0);
  });
  gauge(
    "structreg_rollout_stage",
    "1 for the subject's current stage, 0 for the others.",
    ["subject", "stage"],
    (g) => {
      for (const s of rollout.states()) {
        for (const stage of ROLLOUT_STAGES) g.set({ subject: s.subject, stage }, s.stage === stage ? 1 : 0);
      }
    },
  );
  const outcomes = new Counter({
    name: "structreg_rollout_outcomes_total",
    help: "Outcomes of rollout versions by arm (candidate, stable), path (served, shadow) and result (ok, failed: failure or fallback).",
    labelNames: ["subject", "version", "arm", "path", "result"],
    registers: [registry],
  });
  const trips = new Counter({
    name: "structreg_rollout_auto_rollbacks_total",
    help: "Automatic rollbacks by the guard.",
    labelNames: ["subject"],
    registers: [registry],
  });
  const subjects = new LabelBudget(MAX_SUBJECT_LABELS);
  return {
    onRecord: ({ subject, version, arm, path, failed }) =>
      outcomes.inc({
        subject: subjects.label(subject),
        version: String(version),
        arm,
        path,
        result: failed ? "failed" : "ok",
      }),
    onTrip: (subject) => trips.inc({ subject: subjects.label(subject) }),
  };
}
