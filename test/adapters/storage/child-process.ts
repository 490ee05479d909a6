import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** A running fixture script (test/adapters/storage/fixtures/<name>.ts) with its output collected by line. */
export interface Child {
  process: ChildProcess;
  lines: string[];
  /** Resolves with the first line matching `pattern` (rejects if the child exits first). */
  waitForLine(pattern: RegExp): Promise<string>;
  /** Resolves when the child has exited, with its exit code or signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

/** Starts a fixture script with `node --import tsx`, like the project's own dev runs. */
export function startFixture(name: string, args: string[]): Child {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", `test/adapters/storage/fixtures/${name}.ts`, ...args],
    {
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const lines: string[] = [];
  let errText = "";
  let partial = "";
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    const parts = (partial + chunk).split("\n");
    partial = parts.pop() ?? "";
    for (const line of parts) {
      lines.push(line);
      for (const w of waiters.filter((w) => w.pattern.test(line))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    errText += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return {
    process: child,
    lines,
    exited,
    stderr: () => errText,
    waitForLine(pattern) {
      const seen = lines.find((l) => pattern.test(l));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve });
        void exited.then(({ code, signal }) =>
          reject(new Error(`fixture ${name} exited (${code ?? signal}) before ${pattern}: ${errText}`)),
        );
      });
    },
  };
}

/** Versions the child printed as acknowledged (`ack <version> <fingerprint>`). */
export function acknowledged(child: Child): Array<{ version: number; fingerprint: string }> {
  return child.lines
    .map((l) => /^ack (\d+) (\S+)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ version: Number(m[1]), fingerprint: m[2] ?? "" }));
}
