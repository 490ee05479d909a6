import type { ValidationOutcome } from "../app/validation-types.js";
import type { Issue } from "../core/parse/issues.js";
import type { Repair } from "../core/parse/repairs.js";
import type { Writable } from "./io.js";
import { line, printTable } from "./output.js";

/** Issues as table rows: path (`/` for the whole output), code, message. */
export function issueRows(issues: readonly Issue[]): string[][] {
  return issues.map((i) => [i.path === "" ? "/" : i.path, i.code, i.message]);
}

/** Repairs as table rows: kind, path, and `from → to` when the repair changed a value. */
export function repairRows(repairs: readonly Repair[]): string[][] {
  return repairs.map((r) => [r.kind, r.path === "" ? "/" : r.path, changeOf(r)]);
}

function changeOf(r: Repair): string {
  if (r.from === undefined && r.to === undefined) return "";
  return `${preview(r.from)} → ${preview(r.to)}`;
}

/** A short JSON rendering of a value for one table cell. */
export function preview(value: unknown, max = 60): string {
  const text = value === undefined ? "(none)" : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Prints the repairs made, as `repaired: N change(s)` and a table (nothing when there were none). */
export function printRepairs(out: Writable, repairs: readonly Repair[]): void {
  if (repairs.length === 0) return;
  line(out, `repaired: ${repairs.length} change(s)`);
  printTable(out, repairRows(repairs), "  ");
}

/** Prints a rejection: why, then the issues and the repairs that were tried. */
export function printRejection(out: Writable, reason: string, issues: readonly Issue[]): void {
  line(out, `rejected: ${reason}`);
  printTable(out, issueRows(issues), "  ");
}

/** One line describing an accepted outcome: version, track and, for fallback, what matched. */
export function acceptedLine(outcome: Extract<ValidationOutcome, { ok: true }>): string {
  const parts = [`ok: ${outcome.subject} version ${outcome.version}`, `track ${outcome.track}`];
  if (outcome.track === "fallback") {
    parts.push(
      `matched version ${outcome.matchedVersion ?? "?"}${outcome.upgraded === true ? ", upgraded" : ""}`,
    );
  }
  return parts.join(", ");
}
