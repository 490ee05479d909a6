/** Counts of a validate-batch run by track and outcome, and the summary table printed at the end. */
import type { ValidationOutcome } from "../../app/validation-types.js";

/** Why a batch line failed: a validation failure reason, a malformed line, or an error while validating it. */
export type BatchFailureReason =
  | Extract<ValidationOutcome, { ok: false }>["reason"]
  | "malformed_line"
  | "error";

/** The counts of a run. */
export interface BatchSummary {
  lines: number;
  ok: number;
  failed: number;
  /** Accepted lines by track. */
  tracks: { strict: number; tolerant: number; fallback: number };
  /** Failed lines by reason (only reasons that occurred). */
  reasons: Partial<Record<BatchFailureReason, number>>;
  /** Blank lines (skipped, not counted in `lines`). */
  blank: number;
  elapsedMs: number;
}

/** A mutable tally, updated per line. */
export class BatchTally {
  lines = 0;
  ok = 0;
  failed = 0;
  blank = 0;
  readonly tracks = { strict: 0, tolerant: 0, fallback: 0 };
  readonly reasons: Partial<Record<BatchFailureReason, number>> = {};

  accepted(track: "strict" | "tolerant" | "fallback"): void {
    this.lines += 1;
    this.ok += 1;
    this.tracks[track] += 1;
  }

  rejected(reason: BatchFailureReason): void {
    this.lines += 1;
    this.failed += 1;
    this.reasons[reason] = (this.reasons[reason] ?? 0) + 1;
  }

  summary(elapsedMs: number): BatchSummary {
    return {
      lines: this.lines,
      ok: this.ok,
      failed: this.failed,
      tracks: { ...this.tracks },
      reasons: { ...this.reasons },
      blank: this.blank,
      elapsedMs,
    };
  }
}

/** The summary as table rows: outcome, track or reason, lines, share of all lines. */
export function summaryRows(summary: BatchSummary): string[][] {
  const share = (n: number) => (summary.lines === 0 ? "-" : `${((100 * n) / summary.lines).toFixed(1)}%`);
  const rows: string[][] = [["outcome", "track/reason", "lines", "share"]];
  for (const track of ["strict", "tolerant", "fallback"] as const) {
    rows.push(["ok", track, String(summary.tracks[track]), share(summary.tracks[track])]);
  }
  const reasons = Object.entries(summary.reasons).sort(([a], [b]) => a.localeCompare(b));
  for (const [reason, n] of reasons) rows.push(["failed", reason, String(n), share(n ?? 0)]);
  rows.push(["total", "", String(summary.lines), summary.lines === 0 ? "-" : "100.0%"]);
  return rows;
}

/** Lines per second over the run. */
export function rateOf(lines: number, elapsedMs: number): number {
  return elapsedMs <= 0 ? 0 : (lines * 1000) / elapsedMs;
}
