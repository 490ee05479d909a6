import { type CliRun, type RunOptions, runCli } from "../run-cli.js";

/**
 * runCli for import: runCli's default shutdown signal fires at once (what `serve` tests want), and an
 * import stops at the first step when it fires; here it never fires unless a test passes one.
 */
export function runImportCli(argv: string[], options: RunOptions = {}): Promise<CliRun> {
  return runCli(argv, { waitForShutdown: () => new Promise<string>(() => {}), ...options });
}
