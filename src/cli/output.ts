import { isStructregError } from "../core/errors.js";
import type { LintProblem } from "../core/schema/lint-types.js";
import { EXIT, type ExitCode, exitCodeFor } from "./exit-codes.js";
import type { CliIO, Writable } from "./io.js";

/** Writes one line. */
export function line(out: Writable, text = ""): void {
  out.write(`${text}\n`);
}

/** Writes a value as pretty JSON (machine output, `--json`). */
export function printJson(out: Writable, value: unknown): void {
  out.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Formats rows as left-aligned columns separated by two spaces (the last column is not padded). */
export function formatTable(rows: ReadonlyArray<ReadonlyArray<string>>): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd(),
  );
}

/** Writes rows as an aligned table. */
export function printTable(out: Writable, rows: ReadonlyArray<ReadonlyArray<string>>, indent = ""): void {
  for (const text of formatTable(rows)) line(out, `${indent}${text}`);
}

/** Lint problems as table rows: severity, path, message (code). */
export function lintRows(problems: readonly LintProblem[]): string[][] {
  return problems.map((p) => [p.severity, p.path === "" ? "/" : p.path, `${p.message} (${p.code})`]);
}

/**
 * Prints an error as `error SR_CODE: message`, then what `details` explain (lint problems, differences,
 * messages) and `hint: …`, on stderr, and returns the exit code. Unexpected errors (bugs) print no stack
 * unless STRUCTREG_DEBUG is set.
 */
export function reportError(io: CliIO, err: unknown): ExitCode {
  if (isStructregError(err)) {
    line(io.stderr, `error ${err.code}: ${err.message}`);
    printDetails(io.stderr, err.details);
    if (err.hint !== undefined) line(io.stderr, `hint: ${err.hint}`);
    return exitCodeFor(err.code);
  }
  // Deeply nested input can overflow the stack in code that recurses; that is the input's fault, not a bug.
  if (err instanceof RangeError && /call stack/i.test(err.message)) {
    line(io.stderr, "error SR_SCHEMA_TOO_DEEP: input is nested too deeply to process");
    return exitCodeFor("SR_SCHEMA_TOO_DEEP");
  }
  const message = err instanceof Error ? err.message : String(err);
  line(io.stderr, `error SR_INTERNAL: ${message}`);
  if (isDebug(io) && err instanceof Error && err.stack !== undefined) line(io.stderr, err.stack);
  else line(io.stderr, "hint: this is a bug; rerun with STRUCTREG_DEBUG=1 for the stack trace and report it");
  return EXIT.INTERNAL;
}

function isDebug(io: CliIO): boolean {
  const v = io.env.STRUCTREG_DEBUG;
  return v !== undefined && v !== "" && v !== "0";
}

/** Prints the parts of an error's `details` the CLI knows how to explain; other keys are left to `--json`. */
export function printDetails(out: Writable, details: Readonly<Record<string, unknown>> | undefined): void {
  if (details === undefined) return;
  const problems = [details.lint, details.problems].find(isLintProblemList);
  if (problems !== undefined && problems.length > 0) printTable(out, lintRows(problems), "  ");
  const differences = details.differences;
  if (Array.isArray(differences) && differences.length > 0) {
    printTable(out, differences.filter(isRecord).map(differenceRow), "  ");
  } else if (Array.isArray(details.messages)) {
    for (const m of details.messages) if (typeof m === "string") line(out, `  ${m}`);
  }
}

/** A difference as table cells: kind, path, against which version/direction, and the fix when known. */
export function differenceRow(d: Record<string, unknown>): string[] {
  const row = [String(d.kind ?? "?"), String(d.path === "" ? "/" : (d.path ?? ""))];
  const where: string[] = [];
  if (typeof d.version === "number") where.push(`v${d.version}`);
  if (typeof d.direction === "string") where.push(d.direction);
  row.push(where.join(" "));
  row.push(typeof d.fix === "string" ? `fix: ${d.fix}` : "");
  return row;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isLintProblemList(v: unknown): v is LintProblem[] {
  return Array.isArray(v) && v.every((p) => isRecord(p) && typeof p.message === "string");
}
