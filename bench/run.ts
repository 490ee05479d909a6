/**
 * `npm run bench`: runs every benchmark module and prints its figures as ratios against a baseline
 * measured in the same run. Modules are listed here; each exports `run(): Promise<BenchRow[]>`.
 */
import { type BenchRow, printRows } from "./harness.js";

const MODULES: Array<{ name: string; load: () => Promise<{ run: () => Promise<BenchRow[]> }> }> = [
  { name: "registry", load: () => import("./registry.bench.js") },
  { name: "compat", load: () => import("./compat.bench.js") },
  { name: "parse", load: () => import("./parse.bench.js") },
  { name: "stream", load: () => import("./stream.bench.js") },
  { name: "rollout", load: () => import("./rollout.bench.js") },
  { name: "openai", load: () => import("./openai.bench.js") },
  { name: "http", load: () => import("./http.bench.js") },
  { name: "batch", load: () => import("./batch.bench.js") },
  { name: "console", load: () => import("./console.bench.js") },
];

const only = process.argv[2];
const rows: BenchRow[] = [];
for (const mod of MODULES) {
  if (only && !mod.name.includes(only)) continue;
  process.stderr.write(`bench: ${mod.name} …\n`);
  const { run } = await mod.load();
  rows.push(...(await run()));
}
printRows(rows);
