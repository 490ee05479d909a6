import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, test } from "vitest";

const CORE = join(import.meta.dirname, "../../src/core");
// I/O, clock and randomness must be passed into the core, never imported (STYLE.md: "a pure core, enforced").
const FORBIDDEN = [
  /from\s+["']node:/,
  /from\s+["'](fs|path|crypto|http|https|net|child_process|os)["']/,
  /\bDate\.now\(/,
  /\bMath\.random\(/,
  /\bnew Date\(\)/,
  /\bprocess\.(env|exit|argv|cwd|stdout|stderr|hrtime|on)\b/,
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

describe("src/core is pure", () => {
  test.each(sourceFiles(CORE).map((f) => [relative(CORE, f), f]))(
    "%s imports no I/O, clock or randomness",
    (_name, file) => {
      const text = readFileSync(file, "utf8");
      for (const pattern of FORBIDDEN) expect(text, `${pattern}`).not.toMatch(pattern);
    },
  );
});
