/** Something the CLI can write text to (process.stdout, or a capture in tests). */
export interface Writable {
  write(chunk: string): unknown;
}

/** The process surroundings the CLI runs in; tests pass captures instead of the real process. */
export interface CliIO {
  stdout: Writable;
  stderr: Writable;
  /** Read when a schema file is given as `-`. */
  stdin: AsyncIterable<string | Uint8Array>;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Whether stdout is a terminal (human output may then be decorated). */
  isTTY: boolean;
  /** Resolves with the signal name when the process is asked to stop (`serve` waits on it). */
  waitForShutdown: () => Promise<string>;
}

/** The real process as a CliIO. */
export function processIO(): CliIO {
  ignoreBrokenPipes();
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    isTTY: process.stdout.isTTY === true,
    waitForShutdown: waitForSignal,
  };
}

function waitForSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve(signal);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}

let pipesGuarded = false;

/**
 * `structreg get x | head` closes our stdout early: that is the reader's choice, not an error. Exit quietly
 * (as cat and git do) instead of crashing on the unhandled EPIPE.
 */
function ignoreBrokenPipes(): void {
  if (pipesGuarded) return;
  pipesGuarded = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
}
