import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** One `structreg serve` process started through the real CLI (`node bin/structreg.js serve`). */
export interface ServerProcess {
  name: string;
  url: string;
  pid: number;
  /** The last lines it wrote to stderr (for failure messages). */
  tail(): string;
  /** Whether it exited before `stop` was called. */
  crashed(): boolean;
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
export function startServer(name: string, databaseUrl: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ["bin/structreg.js", "serve", "--no-sync"], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: "warn", ...env, DATABASE_URL: databaseUrl, PORT: "0" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const lines: string[] = [];
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
        stop: () => stopProcess(child, exit, () => (stopping = true)),
      });
    });
    void exit.then(() => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before listening: ${lines.join("\n")}`));
    });
  });
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
