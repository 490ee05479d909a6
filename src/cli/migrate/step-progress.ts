/**
 * Progress of an import or export on stderr: on a terminal a bar redrawn in place (at most ten times a
 * second); otherwise (a log, a CI job) a plain line at most every few seconds and at the end of a phase.
 */
import type { Writable } from "../io.js";

/** A progress display. */
export interface StepProgress {
  /** `done` of `total` (total 0: unknown) in the named phase; `detail` is the current step. */
  update(phase: string, done: number, total: number, detail: string): void;
  /** Clears the bar (terminal) and prints the phase's last figures (plain). */
  finish(): void;
}

/** Options of `createStepProgress`. */
export interface StepProgressOptions {
  out: Writable;
  tty: boolean;
  /** Milliseconds on a monotonic clock. */
  now: () => number;
  plainEveryMs?: number;
  width?: number;
}

const TTY_EVERY_MS = 100;
const MAX_DETAIL = 60;

/** Creates a progress display; nothing is drawn before the first update. */
export function createStepProgress(options: StepProgressOptions): StepProgress {
  const every = options.tty ? TTY_EVERY_MS : (options.plainEveryMs ?? 5_000);
  let last = Number.NEGATIVE_INFINITY;
  let drawn = false;
  let pending: string | undefined;
  const render = (phase: string, done: number, total: number, detail: string) =>
    `${phase}: ${bar(done, total, options.width ?? 24)}${total > 0 ? `${done}/${total}` : `${done}`} ${detail.slice(0, MAX_DETAIL)}`;
  return {
    update(phase, done, total, detail) {
      const text = render(phase, done, total, detail);
      const at = options.now();
      if (at - last < every) {
        pending = text;
        return;
      }
      last = at;
      pending = undefined;
      if (options.tty) {
        options.out.write(`\r${text}\u001b[K`);
        drawn = true;
      } else {
        options.out.write(`${text}\n`);
      }
    },
    finish() {
      if (drawn) options.out.write("\r\u001b[K");
      else if (!options.tty && pending !== undefined) options.out.write(`${pending}\n`);
      drawn = false;
      pending = undefined;
      last = Number.NEGATIVE_INFINITY;
    },
  };
}

function bar(done: number, total: number, width: number): string {
  if (total <= 0) return "";
  const fraction = Math.min(1, done / total);
  const full = Math.round(fraction * width);
  return `[${"#".repeat(full)}${"-".repeat(width - full)}] ${(fraction * 100).toFixed(0).padStart(3)}% `;
}
