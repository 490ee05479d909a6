/**
 * Sums the self time of a V8 `.cpuprofile` (`node --cpu-prof`) by function and by file, so profiling
 * results are read, not guessed: `npx tsx bench/profile-summary.ts <file.cpuprofile> [top=30]`.
 * Node's own internals are grouped under `node:…`, dependencies under their package name. With
 * `[from-ms] [to-ms]` only the samples in that window count (ms since the profile started; negative: ms
 * before it ended), so a server's start-up and shutdown do not hide what its requests cost.
 */
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code comes from: a package, a node: module, structreg's own file, or V8 itself. */
export function origin(url: string): string {
  if (url === "") return "(v8/native)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith("node:")) return url;
  const own = /\/(src|dist|bench)\/(.*)$/.exec(url);
  return own ? `${own[1]}/${own[2]}` : url;
}

/** Self time in ms per key within [fromMs, toMs) of the profile, largest first. */
export function selfTimes(
  profile: CpuProfile,
  key: (frame: CallFrame) => string,
  fromMs = 0,
  toMs = Number.POSITIVE_INFINITY,
): Array<[string, number]> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  const length = profile.timeDeltas.reduce((sum, d) => sum + d, 0) / 1000;
  if (fromMs < 0) fromMs += length;
  if (toMs < 0) toMs += length;
  let at = 0;
  profile.samples.forEach((id, i) => {
    const delta = (profile.timeDeltas[i] ?? 0) / 1000;
    at += delta;
    const frame = byId.get(id)?.callFrame;
    if (frame === undefined || at < fromMs || at >= toMs) return;
    const k = key(frame);
    totals.set(k, (totals.get(k) ?? 0) + delta);
  });
  return [...totals].sort((a, b) => b[1] - a[1]);
}

function print(title: string, rows: Array<[string, number]>, top: number): void {
  const total = rows.reduce((sum, [, ms]) => sum + ms, 0);
  console.log(`\n${title} (total ${total.toFixed(0)} ms)`);
  for (const [name, ms] of rows.slice(0, top)) {
    console.log(`${((100 * ms) / total).toFixed(1).padStart(5)}%  ${ms.toFixed(0).padStart(7)} ms  ${name}`);
  }
}

/** Prints the two tables for a profile file. */
export function summarize(file: string, top = 30, fromMs = 0, toMs = Number.POSITIVE_INFINITY): void {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const window = [fromMs, toMs] as const;
  print(
    "self time by file",
    selfTimes(profile, (f) => origin(f.url), ...window),
    top,
  );
  const byFunction = (f: CallFrame) =>
    `${f.functionName || "(anonymous)"}  ${origin(f.url)}:${f.lineNumber + 1}`;
  print("self time by function", selfTimes(profile, byFunction, ...window), top);
}

const [file, topArg, fromArg, toArg] = process.argv.slice(2);
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href && file !== undefined) {
  summarize(file, Number(topArg ?? 30), Number(fromArg ?? 0), Number(toArg ?? Number.POSITIVE_INFINITY));
}
