import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

/**
 * The folder holding the console's templates and own assets. They are not compiled: running from
 * src/ (tsx, tests) they sit next to this file; running from dist/ they are read from the package's
 * src/ui (package.json "files" ships src), so the build needs no copy step.
 */
export function consoleSourceDir(): string {
  if (cached !== undefined) return cached;
  const here = fileURLToPath(new URL(".", import.meta.url));
  const candidates = [here, fileURLToPath(new URL("../../src/ui/", import.meta.url))];
  cached = candidates.find((dir) => existsSync(`${dir}/views/layout.eta`)) ?? here;
  return cached;
}
