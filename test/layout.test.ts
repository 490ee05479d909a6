import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, test } from "vitest";

const SRC = join(import.meta.dirname, "../src");
// ARCHITECTURE.md: dependencies point inward; cli uses client, never the reverse. Front ends (cli, http,
// client) reach each other's code only through a neutral folder (runtime/, compose.ts), never directly.
const FORBIDDEN: Record<string, readonly string[]> = {
  client: ["cli", "http"],
  cli: ["http"],
  http: ["cli", "client"],
  runtime: ["cli", "http", "client"],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

/** The top-level src/ folder of each relative import (static or dynamic) of a file. */
function importedFolders(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specifiers = [...text.matchAll(/(?:from|import\()\s*["'](\.{1,2}\/[^"']+)["']/g)].map((m) => m[1]!);
  return specifiers.map((s) => relative(SRC, resolve(dirname(file), s)).split("/")[0]!);
}

describe("src/ layout: dependencies point inward", () => {
  const cases = Object.entries(FORBIDDEN).flatMap(([folder, banned]) =>
    sourceFiles(join(SRC, folder)).map((f) => [relative(SRC, f), f, banned] as const),
  );
  test.each(cases)("%s imports nothing from a sibling front end", (_name, file, banned) => {
    for (const folder of importedFolders(file)) expect(banned).not.toContain(folder);
  });
});
