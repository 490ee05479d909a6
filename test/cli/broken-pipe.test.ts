import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

test("a reader that closes the pipe early (`structreg --help | head -1`) does not crash the CLI", async () => {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/entry.ts", "diff", "--help"], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  // Close our end before the CLI writes: its first write then fails with EPIPE.
  child.stdout.destroy();
  const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
  expect(stderr).not.toMatch(/EPIPE|Unhandled/);
  expect(code).toBe(0);
});
