/**
 * The import's state file, what makes a run resumable: a JSONL file whose first line names the source and
 * target, then one line per finished step and one per subject whose mode the import changed (with the mode
 * it had before). A resumed run skips the finished steps without asking the target again, and restores the
 * modes the first run found, not the IMPORT mode an interrupted run left behind. A lost last line (a crash
 * between a write and its record) costs nothing: the re-run finds that write in the target and skips it.
 * The file is removed once a run has gone through every step and restored every mode.
 */
import { createHash } from "node:crypto";
import {
  appendFileSync,
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  rmSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { StructregError } from "../../core/errors.js";
import { isJsonObject } from "../../core/json.js";

const STATE_FORMAT = "structreg-import-state";
const MAX_STATE_BYTES = 256 * 1024 * 1024;

/** A run's state. */
export interface ImportState {
  readonly path: string;
  /** True when an earlier, unfinished run left this state. */
  readonly resumed: boolean;
  isDone(step: string): boolean;
  markDone(step: string): void;
  /** Modes changed by this import: subject → the mode before (null: the subject had none of its own). */
  readonly modes: ReadonlyMap<string, string | null>;
  recordMode(subject: string, previous: string | null): void;
  /** Removes the file (every step run, every mode restored). */
  finish(): void;
}

/** The default state file of an import from `source` into `target`, in `dir`. */
export function defaultStatePath(dir: string, source: string, target: string): string {
  const digest = createHash("sha256").update(`${source}\n${target}`).digest("hex").slice(0, 12);
  return join(dir, `.structreg-import-${digest}.jsonl`);
}

/** Opens (or starts) the state of an import from `source` into `target`. */
export function openImportState(path: string, source: string, target: string): ImportState {
  const done = new Set<string>();
  const modes = new Map<string, string | null>();
  const resumed = existsSync(path);
  if (resumed) loadState(path, source, target, done, modes);
  else appendLine(path, { format: STATE_FORMAT, version: 1, source, target }, true);
  return {
    path,
    resumed,
    modes,
    isDone: (step) => done.has(step),
    markDone(step) {
      done.add(step);
      appendLine(path, { done: step }, false);
    },
    recordMode(subject, previous) {
      if (modes.has(subject)) return;
      modes.set(subject, previous);
      // Durable before the mode changes: losing it would leave the subject in IMPORT mode for good.
      appendLine(path, { subject, previousMode: previous }, true);
    },
    finish() {
      rmSync(path, { force: true });
    },
  };
}

function loadState(
  path: string,
  source: string,
  target: string,
  done: Set<string>,
  modes: Map<string, string | null>,
): void {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw stateError(path, `cannot be read (${(err as { code?: string }).code ?? "error"})`);
  }
  if (text.length > MAX_STATE_BYTES) throw stateError(path, "is larger than a state file can be");
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  const header = parseLine(lines[0] ?? "");
  if (!isJsonObject(header) || header.format !== STATE_FORMAT)
    throw stateError(path, "is not an import state file");
  if (header.source !== source || header.target !== target) {
    throw stateError(
      path,
      `belongs to an import from ${String(header.source)} into ${String(header.target)}`,
    );
  }
  for (const line of lines.slice(1)) {
    const entry = parseLine(line);
    // The last line may be cut by a crash: skip what does not parse (its step is re-checked on the target).
    if (!isJsonObject(entry)) continue;
    if (typeof entry.done === "string") done.add(entry.done);
    else if (typeof entry.subject === "string" && !modes.has(entry.subject)) {
      modes.set(entry.subject, typeof entry.previousMode === "string" ? entry.previousMode : null);
    }
  }
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

function appendLine(path: string, value: unknown, durable: boolean): void {
  try {
    if (!durable) {
      appendFileSync(path, `${JSON.stringify(value)}\n`);
      return;
    }
    const fd = openSync(path, "a");
    try {
      writeSync(fd, `${JSON.stringify(value)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    throw new StructregError("SR_FILE_ACCESS", `cannot write the import state file ${path}`, { cause: err });
  }
}

function stateError(path: string, why: string): StructregError {
  return new StructregError("SR_IMPORT_STATE", `the import state file ${path} ${why}`, {
    hint: "remove it to start over (a re-run is idempotent: it skips what the target already holds), or pass --state",
  });
}
