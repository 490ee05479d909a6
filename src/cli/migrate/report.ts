/** The final report of an import: counts, the ids copied, failures and what needs a person's attention. */
import type { Writable } from "../io.js";
import { line } from "../output.js";

/** One failed step. */
export interface ImportFailure {
  step: string;
  subject: string;
  version?: number;
  id?: number;
  code: string;
  message: string;
}

/** What an import did (or, with --dry-run, would do). */
export interface ImportReport {
  source: string;
  target: string;
  dryRun: boolean;
  resumed: boolean;
  /** True when the run wrote something to the target (false on a re-run of a finished import). */
  changed: boolean;
  subjects: number;
  versions: { total: number; copied: number; skipped: number; failed: number };
  deletes: { applied: number; skipped: number };
  states: { applied: number; skipped: number };
  configs: { applied: number; skipped: number };
  ids: { count: number; min: number | null; max: number | null };
  failures: ImportFailure[];
  attention: string[];
  /** The error that stopped the run early (the target or a file unreachable, auth); null when it ran through. */
  stopped: { code: string; message: string } | null;
}

/** An empty report for a run from `source` into `target`. */
export function emptyReport(source: string, target: string, dryRun: boolean, resumed: boolean): ImportReport {
  return {
    source,
    target,
    dryRun,
    resumed,
    changed: false,
    subjects: 0,
    versions: { total: 0, copied: 0, skipped: 0, failed: 0 },
    deletes: { applied: 0, skipped: 0 },
    states: { applied: 0, skipped: 0 },
    configs: { applied: 0, skipped: 0 },
    ids: { count: 0, min: null, max: null },
    failures: [],
    attention: [],
    stopped: null,
  };
}

const MAX_LISTED = 50;

/** Prints the report for a person (stdout). */
export function printReport(out: Writable, r: ImportReport): void {
  const would = r.dryRun ? "would be " : "";
  line(
    out,
    `${r.dryRun ? "dry run: " : ""}import from ${r.source} into ${r.target}${r.resumed ? " (resumed)" : ""}`,
  );
  line(out, `  subjects  ${r.subjects}`);
  line(
    out,
    `  versions  ${r.versions.total}: ${r.versions.copied} ${would}copied, ${r.versions.skipped} already there, ${r.versions.failed} failed`,
  );
  line(out, `  deletes   ${r.deletes.applied} ${would}applied, ${r.deletes.skipped} already there`);
  line(out, `  states    ${r.states.applied} ${would}applied, ${r.states.skipped} already there`);
  line(out, `  configs   ${r.configs.applied} ${would}applied, ${r.configs.skipped} already there`);
  if (r.ids.count > 0)
    line(
      out,
      `  ids       ${r.ids.count} (${r.ids.min}–${r.ids.max}) ${would}in the target, the source's own`,
    );
  for (const f of r.failures.slice(0, MAX_LISTED))
    line(out, `  failed    ${f.step}: ${f.code}: ${f.message}`);
  if (r.failures.length > MAX_LISTED)
    line(out, `  …and ${r.failures.length - MAX_LISTED} more failures (see --json)`);
  for (const a of r.attention.slice(0, MAX_LISTED)) line(out, `  attention ${a}`);
  if (r.attention.length > MAX_LISTED)
    line(out, `  …and ${r.attention.length - MAX_LISTED} more (see --json)`);
  line(out, r.stopped !== null ? "stopped early: run the same command again to resume" : verdict(r));
}

function verdict(r: ImportReport): string {
  if (r.failures.length > 0)
    return `${r.failures.length} step(s) failed: fix them and run the same command again`;
  if (r.dryRun)
    return r.changed ? "nothing written (dry run)" : "nothing to do: the target already holds everything";
  return r.changed ? "done" : "nothing changed: the target already holds everything";
}
