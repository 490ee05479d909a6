import { Readable } from "node:stream";
import { main } from "../../src/cli/main.js";

/** Output of one in-process CLI run. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options of `runCli`. */
export interface RunOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  stdin?: string;
  waitForShutdown?: () => Promise<string>;
}

/** Runs `main(argv)` in-process with captured output and a clean environment. */
export async function runCli(argv: string[], options: RunOptions = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: Readable.from([options.stdin ?? ""]),
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    isTTY: false,
    waitForShutdown: options.waitForShutdown ?? (() => Promise.resolve("SIGTERM")),
  });
  return { code, stdout, stderr };
}
