/**
 * Progress of a validate-batch run on stderr: on a terminal, a bar redrawn in place (at most ten times a
 * second) with the rate; otherwise (a log, a CI job) a plain line at most every `plainEveryMs`.
 */
import type { Writable } from "../io.js";

/** Where a run stands. */
export interface ProgressState {
  lines: number;
  failed: number;
  /** Bytes of the input read so far and the input's size (0 when unknown). */
  bytesRead: number;
  totalBytes: number;
}

/** Options of `createProgress`. */
export interface ProgressOptions {
  out: Writable;
  tty: boolean;
  /** Milliseconds on a monotonic clock. */
  now: () => number;
  plainEveryMs?: number;
  width?: number;
}

/** A progress display. */
export interface Progress {
  /** Called after each line; draws only when it is time to (the state is read only then). */
  update(state: () => ProgressState): void;
  /** Clears the bar (terminal) so the summary starts on a clean line. */
  finish(): void;
}

const TTY_EVERY_MS = 100;

/** Creates the progress display for a run starting now. */
export function createProgress(options: ProgressOptions): Progress {
  const started = options.now();
  const every = options.tty ? TTY_EVERY_MS : (options.plainEveryMs ?? 5_000);
  let last = started;
  let drawn = false;
  const draw = (state: ProgressState, at: number) => {
    const rate = at > started ? (state.lines * 1000) / (at - started) : 0;
    if (options.tty) {
      options.out.write(`\r${bar(state, options.width ?? 24)} ${describe(state, rate)}\u001b[K`);
      drawn = true;
    } else {
      options.out.write(`validate-batch: ${describe(state, rate)}\n`);
    }
  };
  return {
    update(state) {
      const at = options.now();
      if (at - last < every) return;
      last = at;
      draw(state(), at);
    },
    finish() {
      if (drawn) options.out.write("\r\u001b[K");
    },
  };
}

function describe(state: ProgressState, rate: number): string {
  const failed = state.failed > 0 ? `, ${state.failed} failed` : "";
  return `${state.lines} lines${failed}, ${Math.round(rate)} lines/s`;
}

function bar(state: ProgressState, width: number): string {
  if (state.totalBytes <= 0) return "[working]";
  const fraction = Math.min(1, state.bytesRead / state.totalBytes);
  const full = Math.round(fraction * width);
  return `[${"#".repeat(full)}${"-".repeat(width - full)}] ${(fraction * 100).toFixed(0).padStart(3)}%`;
}
