/**
 * Console budgets (issue 10): the JavaScript the console ships, gzipped, against 150 KB; and the time the
 * subjects view of 1,000 subjects takes to render (GET /ui/ through app.inject, median of 5) against 1 s.
 * Both are ratios against the budget (≤ 1× meets it). The validate path is untouched by the console: its
 * routes carry no hook of the console's (the HTTP benchmark measures that path).
 */
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { createTestServices } from "../src/compose.js";
import { buildApp } from "../src/http/app.js";
import { loadAssets } from "../src/ui/assets.js";
import type { BenchRow } from "./harness.js";

const JS_BUDGET_KB = 150;
const RENDER_BUDGET_MS = 1000;
const SUBJECTS = 1000;

function javascriptKb(): number {
  const { byFile } = loadAssets();
  let bytes = 0;
  for (const asset of byFile.values()) {
    if (asset.type.startsWith("text/javascript")) bytes += gzipSync(asset.body, { level: 9 }).length;
  }
  return bytes / 1024;
}

async function subjectsViewMs(): Promise<number> {
  const services = createTestServices();
  const app = await buildApp({
    registry: services.registry,
    validation: services.validation,
    quarantine: services.quarantine,
    rollout: { service: services.rollout.service, guard: services.rollout.guard },
    metrics: services.metrics,
  });
  const schema = JSON.parse(readFileSync(new URL("../schemas/sentiment/v1.json", import.meta.url), "utf8"));
  for (let i = 0; i < SUBJECTS; i++) await services.registry.register(`subject-${i}`, schema);
  const times: number[] = [];
  for (let round = 0; round < 6; round++) {
    const start = performance.now();
    const response = await app.inject({ url: "/ui/" });
    if (response.statusCode !== 200) throw new Error(`GET /ui/ answered ${response.statusCode}`);
    if (round > 0) times.push(performance.now() - start);
  }
  await app.close();
  await services.close();
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

/** The console's budget rows. */
export async function run(): Promise<BenchRow[]> {
  const kb = javascriptKb();
  const ms = await subjectsViewMs();
  return [
    {
      group: "console",
      name: "JavaScript shipped, gzipped (htmx + uPlot + console.js) vs 150 KB",
      value: kb,
      unit: "KB",
      ratio: kb / JS_BUDGET_KB,
      goal: "≤ 1×",
      met: kb <= JS_BUDGET_KB,
    },
    {
      group: "console",
      name: `subjects view of ${SUBJECTS} subjects (memory store) vs 1 s`,
      value: ms,
      unit: "ms",
      ratio: ms / RENDER_BUDGET_MS,
      goal: "≤ 1×",
      met: ms <= RENDER_BUDGET_MS,
    },
  ];
}
