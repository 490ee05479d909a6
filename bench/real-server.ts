/**
 * Starts structreg the way `npm start` does: `node bin/structreg.js serve` in a process of its own, with
 * every setting at its default (no LOG_LEVEL, no DATABASE_URL, no STRUCTREG_* variables), PGlite in
 * ./data and ./schemas published, both in a temporary folder used as the working directory. Only the
 * port differs (`--port 0`). Its log (stdout) goes to a file there, as a service manager would send it.
 * `BENCH_CPU_PROF=<dir>` adds `--cpu-prof --cpu-prof-dir <dir>` (profiles are written at SIGTERM's exit).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { JsonObject } from "../src/core/json.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
let built = false;

/** Compiles src/ to dist/ once per run, so the server measured is the source being benchmarked. */
function buildOnce(): void {
  if (built) return;
  execFileSync(
    process.execPath,
    [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"],
    {
      cwd: ROOT,
      stdio: "inherit",
    },
  );
  built = true;
}

/** The environment minus every variable structreg reads, so each setting takes its default. */
function defaultEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(STRUCTREG_|LD_|OPENAI_)/.test(name)) continue;
    if (["LOG_LEVEL", "DATABASE_URL", "HOST", "PORT", "NODE_OPTIONS"].includes(name)) continue;
    env[name] = value;
  }
  return env;
}

/** A running `structreg serve`. */
export interface RealServer {
  url: string;
  /** The server's process id. */
  pid: number;
  /** Stops the server (SIGTERM) and answers its whole log (its stdout). */
  close(): Promise<string>;
}

/** Starts `structreg serve` with `subjects` (name → schema) in its ./schemas folder. */
export async function startRealServer(
  subjects: Record<string, JsonObject>,
  /** Settings over the defaults, for experiments (the benchmark itself passes none). */
  env: NodeJS.ProcessEnv = {},
): Promise<RealServer> {
  buildOnce();
  const dir = await mkdtemp(join(tmpdir(), "structreg-bench-serve-"));
  for (const [subject, schema] of Object.entries(subjects)) {
    await mkdir(join(dir, "schemas", subject), { recursive: true });
    await writeFile(join(dir, "schemas", subject, "v1.json"), JSON.stringify(schema));
  }
  const logPath = join(dir, "server.log");
  const logFd = openSync(logPath, "w");
  const profDir = process.env.BENCH_CPU_PROF;
  const flags = profDir ? ["--cpu-prof", "--cpu-prof-dir", profDir] : [];
  const child: ChildProcess = spawn(
    process.execPath,
    [...flags, join(ROOT, "bin/structreg.js"), "serve", "--port", "0"],
    { cwd: dir, env: { ...defaultEnv(), ...env }, stdio: ["ignore", logFd, "pipe"] },
  );
  closeSync(logFd);
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  const url = await listeningUrl(child, exited);
  let closed: Promise<string> | undefined;
  const stop = async () => {
    child.kill("SIGTERM");
    await exited;
    const log = await readFile(logPath, "utf8");
    await rm(dir, { recursive: true, force: true });
    return log;
  };
  // Idempotent: the benchmark closes once to read the log and again in its finally.
  return { url, pid: child.pid ?? 0, close: () => (closed ??= stop()) };
}

function listeningUrl(child: ChildProcess, exited: Promise<void>): Promise<string> {
  return new Promise((resolve, reject) => {
    let err = "";
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      err += chunk;
      const match = /listening on (\S+)/.exec(err);
      if (match) resolve(match[1]!);
    });
    void exited.then(() => reject(new Error(`structreg serve exited before listening:\n${err}`)));
  });
}
