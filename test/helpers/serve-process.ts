import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** A `structreg serve` child process. */
export interface ServeProcess {
  child: ChildProcess;
  url: string;
  /** Resolves with the signal or exit code. */
  exited: Promise<NodeJS.Signals | number | null>;
  /** Everything it wrote to stderr so far. */
  stderr(): string;
  /** SIGTERM, then wait for the exit. */
  stop(): Promise<void>;
}

/**
 * The environment of a server under test: the runner's, minus DATABASE_URL (CI sets it for the PostgreSQL
 * suites; a server meant to run on PGlite must not pick it up), plus `env`.
 */
export function serveEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const { DATABASE_URL: _ignored, ...rest } = process.env;
  return { ...rest, LOG_LEVEL: "silent", ...env };
}

/** Starts `structreg serve` (from source) on a free port and resolves once it prints its URL. */
export function startServe(env: Record<string, string>, dataDir: string): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "src/cli/entry.ts", "serve", "--port", "0", "--no-sync", "--data-dir", dataDir],
    {
      cwd: REPO_ROOT,
      env: serveEnv(env),
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.on("exit", (code, signal) => resolve(signal ?? code)),
  );
  let err = "";
  return new Promise((resolve, reject) => {
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      err += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(err);
      if (match)
        resolve({
          child,
          url: match[1] as string,
          exited,
          stderr: () => err,
          async stop() {
            child.kill("SIGTERM");
            await exited;
          },
        });
    });
    void exited.then((code) => reject(new Error(`serve exited (${code}) before listening: ${err}`)));
  });
}
