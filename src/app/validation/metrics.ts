/**
 * Prometheus metrics of validate-and-parse. Label children are cached per (subject, version, track,
 * outcome, reason) in nested maps, so a request costs map lookups and an increment, no string building.
 */
import { Counter, Gauge, type Registry } from "prom-client";
import { LabelBudget, MAX_LABEL_LENGTH, MAX_SUBJECT_LABELS } from "../label-budget.js";
import { type CounterChild, collectPending, PendingCounts } from "../pending-counts.js";
import type { QuarantineStore } from "../ports.js";
import type { ValidationOutcome } from "../validation-types.js";

/** Options of the validation metrics. */
export interface ValidationMetricsOptions {
  /** Source of the quarantine gauge, read on each scrape. */
  quarantine?: Pick<QuarantineStore, "counts">;
  /** Distinct enum-drift paths counted per subject; further paths count as "(other)". Default 100. */
  maxDriftPathsPerSubject?: number;
  /** Distinct subjects labelled; further subjects count as "(other)". Default 1000. */
  maxSubjects?: number;
}

/** The metrics and the callback to pass as the validation service's `onOutcome`. */
export interface ValidationMetrics {
  observe(outcome: ValidationOutcome): void;
}

type ValidationLabels = "subject" | "version" | "track" | "outcome" | "reason";

/**
 * Registers `structreg_validations_total`, `structreg_repairs_total`, `structreg_enum_drift_total`
 * and `structreg_quarantine_samples` on `registry`.
 */
export function createValidationMetrics(
  registry: Registry,
  options: ValidationMetricsOptions = {},
): ValidationMetrics {
  // Counted on every validation: children that add to a number, handed to prom-client on collection.
  const pendingValidations = new PendingCounts<ValidationLabels>();
  new Counter({
    name: "structreg_validations_total",
    help: "validate-and-parse outcomes by subject, version, track (none for failures), outcome and failure reason.",
    labelNames: ["subject", "version", "track", "outcome", "reason"],
    registers: [registry],
    collect: collectPending(pendingValidations),
  });
  const repairs = new Counter({
    name: "structreg_repairs_total",
    help: "Repairs made by the tolerant track, by kind.",
    labelNames: ["kind"],
    registers: [registry],
  });
  const drift = new Counter({
    name: "structreg_enum_drift_total",
    help: "Unknown enum values seen (mapped to a catch-all or rejected), by subject and JSON Pointer path (array indices as *).",
    labelNames: ["subject", "path"],
    registers: [registry],
  });
  registerQuarantineGauge(registry, options.quarantine);
  const maxPaths = options.maxDriftPathsPerSubject ?? 100;
  const subjects = new LabelBudget(options.maxSubjects ?? MAX_SUBJECT_LABELS);
  const outcomeChildren = new Map<string, Map<number, Map<string, CounterChild>>>();
  const repairChildren = new Map<string, CounterChild>();
  const driftPaths = new Map<string, LabelBudget>();

  function outcomeChild(outcome: ValidationOutcome): CounterChild {
    // No closures or label objects on a hit: three map lookups.
    let bySubject = outcomeChildren.get(outcome.subject);
    if (bySubject === undefined) {
      bySubject = new Map();
      outcomeChildren.set(outcome.subject, bySubject);
    }
    let byVersion = bySubject.get(outcome.version);
    if (byVersion === undefined) {
      byVersion = new Map();
      bySubject.set(outcome.version, byVersion);
    }
    const slot = outcome.ok ? outcome.track : outcome.reason;
    let child = byVersion.get(slot);
    if (child === undefined) {
      child = pendingValidations.child({
        subject: subjects.label(outcome.subject),
        version: String(outcome.version),
        track: outcome.ok ? outcome.track : "none",
        outcome: outcome.ok ? "ok" : "failed",
        reason: outcome.ok ? "" : outcome.reason,
      });
      byVersion.set(slot, child);
    }
    return child;
  }

  function countDrift(name: string, pointer: string): void {
    const subject = subjects.label(name);
    let paths = driftPaths.get(subject);
    if (paths === undefined) {
      paths = new LabelBudget(maxPaths);
      driftPaths.set(subject, paths);
    }
    // Paths come from the output (up to the body limit): cut before the regex and the label.
    const path = paths.label(pointer.slice(0, MAX_LABEL_LENGTH * 2).replace(/\/\d+(?=\/|$)/g, "/*"));
    drift.inc({ subject, path });
  }

  return {
    observe(outcome) {
      outcomeChild(outcome).inc();
      for (const repair of outcome.repairs) {
        let child = repairChildren.get(repair.kind);
        if (child === undefined) {
          child = repairs.labels({ kind: repair.kind });
          repairChildren.set(repair.kind, child);
        }
        child.inc();
        if (repair.kind === "enum_fallback") countDrift(outcome.subject, repair.path);
      }
      if (!outcome.ok) {
        for (const issue of outcome.issues) {
          if (issue.code === "invalid_enum") countDrift(outcome.subject, issue.path);
        }
      }
    },
  };
}

function registerQuarantineGauge(
  registry: Registry,
  source: Pick<QuarantineStore, "counts"> | undefined,
): void {
  if (source === undefined) return;
  new Gauge({
    name: "structreg_quarantine_samples",
    help: "Quarantined samples by subject and status (open, resolved), read from the store on scrape.",
    labelNames: ["subject", "status"],
    registers: [registry],
    async collect() {
      const counts = await source.counts();
      this.reset();
      for (const { subject, open, resolved } of counts) {
        this.set({ subject, status: "open" }, open);
        this.set({ subject, status: "resolved" }, resolved);
      }
    },
  });
}
