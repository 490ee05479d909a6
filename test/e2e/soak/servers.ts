import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** How the CLI is started: the published launcher over dist/, or the same main() from src/ through tsx. */
export type CliEntry = "dist" | "source";

const ENTRY_ARGS: Record<CliEntry, string[]> = {
  dist: ["bin/structreg.js"],
  source: ["--import", "tsx", "src/cli/entry.ts"],
};

/**
 * `dist` when dist/ was built after the last change to src/, else `source`: a stale dist/ would soak old code
 * (`npm run soak` builds first; CI builds before the tests).
 */
export function freshestEntry(): CliEntry {
  try {
    const built = statSync(join(REPO_ROOT, "dist/cli/main.js")).mtimeMs;
    return newestMtime(join(REPO_ROOT, "src")) <= built ? "dist" : "source";
  } catch {
    return "source";
  }
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** One `structreg serve` process started through the real CLI (`node bin/structreg.js serve`, or from src/). */
export interface ServerProcess {
  name: string;
  url: string;
  pid: number;
  /** The last lines it wrote to stderr (for failure messages). */
  tail(): string;
  /** Whether it exited before `stop` was called. */
  crashed(): boolean;
  /** Log lines at error level or above (pino level ≥ 50) it wrote to stdout: count and the first few. */
  errors(): { count: number; first: string[] };
  stop(): Promise<void>;
}

/** Lines of stderr kept per process: enough to explain a failure, bounded over a long run. */
const TAIL_LINES = 40;
/** Longest wait for a process to print its URL (PostgreSQL migrations race on first start). */
const START_TIMEOUT_MS = 60_000;

/**
 * Starts `structreg serve` on a free port of 127.0.0.1 against `databaseUrl`, without publishing a schemas
 * folder, and resolves once it prints the URL it listens on.
 */
export function startServer(name: string, databaseUrl: string, entry: CliEntry = "dist") {
  const child = spawn(process.execPath, [...ENTRY_ARGS[entry], "serve", "--no-sync"], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: "warn", DATABASE_URL: databaseUrl, PORT: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const errors = watchErrorLines(child);
  let stopping = false;
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.on("exit", () => {
      exited = true;
      resolve();
    }),
  );
  return new Promise<ServerProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${name} did not start within ${START_TIMEOUT_MS} ms: ${lines.join("\n")}`));
    }, START_TIMEOUT_MS);
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      for (const line of chunk.split("\n")) if (line !== "") lines.push(line);
      if (lines.length > TAIL_LINES) lines.splice(0, lines.length - TAIL_LINES);
      const match = /listening on (http:\/\/\S+)/.exec(chunk);
      if (match === null) return;
      clearTimeout(timer);
      resolve({
        name,
        url: match[1] as string,
        pid: child.pid as number,
        tail: () => lines.join("\n"),
        crashed: () => exited && !stopping,
        errors: () => errors,
        stop: () => stopProcess(child, exit, () => (stopping = true)),
      });
    });
    void exit.then(() => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before listening: ${lines.join("\n")}`));
    });
  });
}

/** Counts pino lines at error level or above on the child's stdout (a request answered 5xx logs one). */
function watchErrorLines(child: ChildProcess): { count: number; first: string[] } {
  const found = { count: 0, first: [] as string[] };
  let partial = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    const parts = (partial + chunk).split("\n");
    partial = parts.pop() ?? "";
    for (const line of parts) {
      if (!/"level":(5\d|6\d)\b/.test(line)) continue;
      found.count += 1;
      if (found.first.length < 5) found.first.push(line.slice(0, 500));
    }
  });
  return found;
}

/** SIGTERM (graceful), then SIGKILL if it has not exited after 10 s. */
async function stopProcess(child: ChildProcess, exit: Promise<void>, mark: () => void): Promise<void> {
  mark();
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exit;
  clearTimeout(timer);
}
