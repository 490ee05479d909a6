/**
 * Runs an import plan against the target, in phases: settings (global and per subject, first, so a
 * subject's profile applies when its versions are linted), versions (plan order, with their source ids),
 * version states, soft deletes (reverse plan order: a referrer before what it references), then each
 * subject's previous mode restored. Every step is checked against the target first: what is already there
 * is skipped, what differs is a failure in the report (never overwritten), so a re-run changes nothing.
 */
import { isStructregError } from "../../core/errors.js";
import { Runner } from "./import-steps.js";
import type { VersionPlan } from "./plan.js";
import type { Settings, SourceSnapshot, VersionRecord } from "./records.js";
import { versionKey } from "./records.js";
import { emptyReport, type ImportReport } from "./report.js";
import type { ImportState } from "./state-file.js";
import type { ImportTarget } from "./target.js";

// Target reads in flight while checking what is already there (writes stay one at a time, in plan order).
const PREFETCH_CONCURRENCY = 4;

/** Progress of a run, one event per step. */
export interface StepEvent {
  done: number;
  total: number;
  step: string;
}

/** Options of `runImport`. */
export interface RunOptions {
  target: ImportTarget;
  snapshot: SourceSnapshot;
  plan: VersionPlan;
  dryRun: boolean;
  /** Absent on a dry run (nothing to resume). */
  state?: ImportState;
  /** Copy the source's global settings (false when only some subjects are imported). */
  copyGlobal: boolean;
  /** Profile given to subjects whose source names none (a Confluent source). */
  defaultProfile?: string;
  onStep?: (event: StepEvent) => void;
  /** Aborted on SIGINT/SIGTERM: the run stops before its next step (modes are still restored). */
  signal?: AbortSignal;
}

/** A run's report, and the error that stopped it early (target or file unreachable, auth), if one did. */
export interface RunResult {
  report: ImportReport;
  stoppedBy?: unknown;
}

/** Runs the import; failures of single steps are in the report, an error that stops the run is returned too. */
export async function runImport(options: RunOptions): Promise<RunResult> {
  const { snapshot, plan, target } = options;
  const report = emptyReport(
    snapshot.header.source,
    target.origin,
    options.dryRun,
    options.state?.resumed ?? false,
  );
  const run = new Runner(options, report);
  const withState = plan.order.filter((v) => v.state !== undefined && v.state !== "ENABLED");
  const deleted = plan.order.filter((v) => v.deleted).reverse();
  run.total =
    (options.copyGlobal ? 1 : 0) +
    snapshot.subjects.length +
    plan.order.length +
    withState.length +
    deleted.length;
  report.subjects = snapshot.subjects.length;
  report.versions.total = plan.order.length;
  for (const ref of plan.missingReferences)
    report.attention.push(
      `${ref.from} references ${ref.to}, which the source does not hold: the target must have it`,
    );
  let stoppedBy: unknown;
  // The versions in the target after the run (copied now or before): their ids are the report's.
  const placed: VersionRecord[] = [];
  try {
    await run.prefetch(plan.order, PREFETCH_CONCURRENCY);
    if (options.copyGlobal) await run.step("config:(global)", () => run.settings(null, snapshot.global));
    for (const s of snapshot.subjects)
      await run.step(`config:${s.subject}`, () => run.settings(s.subject, subjectSettings(s, options)));
    for (const v of plan.order) {
      if (await run.step(`version:${versionKey(v.subject, v.version)}`, () => run.version(v))) placed.push(v);
    }
    for (const v of withState)
      await run.step(`state:${versionKey(v.subject, v.version)}`, () => run.state(v));
    for (const v of deleted)
      await run.step(`delete:${versionKey(v.subject, v.version)}`, () => run.softDelete(v));
  } catch (err) {
    stoppedBy = err;
    const code = isStructregError(err) ? err.code : "SR_INTERNAL";
    report.stopped = { code, message: err instanceof Error ? err.message : String(err) };
  }
  // A run that stopped early keeps its state file: the next run skips what this one finished.
  await run.restoreModes(stoppedBy === undefined);
  countIds(report, placed);
  return stoppedBy === undefined ? { report } : { report, stoppedBy };
}

function subjectSettings(s: Settings, options: RunOptions): Settings {
  const { compatibilityLevel, policy, profile } = s;
  const settings: Settings = {};
  if (compatibilityLevel !== undefined) settings.compatibilityLevel = compatibilityLevel;
  if (policy !== undefined) settings.policy = policy;
  const chosen = profile ?? options.defaultProfile;
  if (chosen !== undefined) settings.profile = chosen;
  return settings;
}

function countIds(report: ImportReport, versions: readonly VersionRecord[]): void {
  const ids = new Set<number>();
  for (const v of versions) {
    ids.add(v.id);
    // A loop, not Math.min(...ids): a spread of a million ids overflows the stack.
    report.ids.min = Math.min(report.ids.min ?? v.id, v.id);
    report.ids.max = Math.max(report.ids.max ?? v.id, v.id);
  }
  report.ids.count = ids.size;
}
