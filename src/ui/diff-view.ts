/**
 * The diff view's model: two schemas side by side with changed lines marked, and every compatibility
 * difference in both directions, judged under the subject's level and policy.
 */
import { diffArrays } from "diff";
import { compareSchemas } from "../core/compat/compare.js";
import { FIXES } from "../core/compat/fixes.js";
import { allowedChanges } from "../core/compat/kinds.js";
import type { JsonSchema } from "../core/json.js";
import type { CompatibilityLevel, CompatibilityPolicy } from "../core/model.js";
import { prettyJson } from "./pretty-json.js";

/** One side of a row: its line number (1-based) and text, or null when the line exists on one side only. */
export interface DiffCell {
  line: number;
  text: string;
  change: "same" | "removed" | "added";
}

/** One row of the side-by-side table. */
export interface DiffRow {
  left: DiffCell | null;
  right: DiffCell | null;
}

/** A compatibility difference as the view lists it. */
export interface JudgedDifference {
  kind: string;
  path: string;
  direction: "backward" | "forward";
  verdict: "allowed" | "breaking" | "not checked";
  fix: string | null;
  /** Row index (for the link that scrolls both sides), when the path's line was found. */
  row: number | null;
}

/** Edits considered at most before the line diff gives up and shows the sides as wholly changed. */
const MAX_EDIT_LENGTH = 4000;

/** Pairs removed and added runs line by line, so a changed line sits next to its replacement. */
export function sideBySide(left: string[], right: string[]): DiffRow[] {
  const changes = diffArrays(left, right, { maxEditLength: MAX_EDIT_LENGTH }) ?? [
    { value: left, removed: true, added: false, count: left.length },
    { value: right, removed: false, added: true, count: right.length },
  ];
  const rows: DiffRow[] = [];
  let l = 0;
  let r = 0;
  for (let i = 0; i < changes.length; i++) {
    const change = changes[i];
    if (change === undefined) continue;
    if (!change.added && !change.removed) {
      for (const text of change.value)
        rows.push({ left: cell(++l, text, "same"), right: cell(++r, text, "same") });
      continue;
    }
    const next = changes[i + 1];
    const removed = change.removed ? change.value : [];
    const added = change.added ? change.value : next?.added ? next.value : [];
    if (change.removed && next?.added) i++;
    for (let k = 0; k < Math.max(removed.length, added.length); k++) {
      const a = removed[k];
      const b = added[k];
      rows.push({
        left: a === undefined ? null : cell(++l, a, "removed"),
        right: b === undefined ? null : cell(++r, b, "added"),
      });
    }
  }
  return rows;
}

function cell(line: number, text: string, change: DiffCell["change"]): DiffCell {
  return { line, text, change };
}

function checks(level: CompatibilityLevel): { backward: boolean; forward: boolean } {
  return {
    backward: level.startsWith("BACKWARD") || level.startsWith("FULL"),
    forward: level.startsWith("FORWARD") || level.startsWith("FULL"),
  };
}

/** The whole diff view of `from` → `to`. */
export function buildDiffView(
  from: JsonSchema,
  to: JsonSchema,
  config: { compatibilityLevel: CompatibilityLevel; policy: CompatibilityPolicy },
) {
  const left = prettyJson(from);
  const right = prettyJson(to);
  const rows = sideBySide(left.lines, right.lines);
  const rowOfRight = new Map<number, number>();
  const rowOfLeft = new Map<number, number>();
  rows.forEach((row, index) => {
    if (row.right) rowOfRight.set(row.right.line - 1, index);
    if (row.left) rowOfLeft.set(row.left.line - 1, index);
  });
  const rowOf = (path: string): number | null => {
    const r = right.lineOf.get(path);
    if (r !== undefined) return rowOfRight.get(r) ?? null;
    const l = left.lineOf.get(path);
    return l === undefined ? null : (rowOfLeft.get(l) ?? null);
  };
  const comparison = compareSchemas(from, to, { policy: config.policy });
  const allowed = allowedChanges(config.policy);
  const checked = checks(config.compatibilityLevel);
  const judge =
    (direction: "backward" | "forward") =>
    (d: { kind: string; path: string }): JudgedDifference => ({
      ...d,
      direction,
      verdict: allowed.has(d.kind) ? "allowed" : checked[direction] ? "breaking" : "not checked",
      fix: allowed.has(d.kind) ? null : (FIXES[d.kind] ?? null),
      row: rowOf(d.path),
    });
  const differences = [
    ...comparison.differences.backward.map(judge("backward")),
    ...comparison.differences.forward.map(judge("forward")),
  ];
  const changed = rows.filter((row) => row.left?.change !== "same" || row.right?.change !== "same").length;
  return {
    rows,
    differences,
    changedRows: changed,
    backward: comparison.backward,
    forward: comparison.forward,
  };
}
