/** Tiny benchmark harness: every figure is reported as a ratio against a baseline measured in the same run. */

/** One printed row of `npm run bench`. */
export interface BenchRow {
  group: string;
  name: string;
  /** Measured figure (ops/s unless `unit` says otherwise). */
  value: number;
  unit: string;
  /** value ÷ baseline (for costs: time ÷ baseline time; for throughputs: rate ÷ baseline rate). */
  ratio: number;
  /** Goal for the ratio, as text (e.g. "≤ 1.1×"), if the issue sets one. */
  goal?: string;
  /** Whether the goal holds (undefined when there is no goal). */
  met?: boolean;
}

/** Runs `fn` repeatedly for about `ms` milliseconds (after a warm-up) and returns nanoseconds per call. */
export function timePerCall(fn: () => unknown, ms = 300): number {
  const warmUntil = performance.now() + Math.min(100, ms / 3);
  while (performance.now() < warmUntil) fn();
  let calls = 0;
  let batch = 1;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < batch; i++) fn();
    calls += batch;
    batch = Math.min(batch * 2, 10_000);
    elapsed = performance.now() - start;
  }
  return (elapsed * 1e6) / calls;
}

/**
 * Median of several `timePerCall` runs, alternating candidates to spread machine noise evenly: every
 * other round runs them in reverse order, so no candidate always runs right after the same neighbour.
 */
export function compareCosts(
  fns: Record<string, () => unknown>,
  rounds = 5,
  ms = 200,
): Record<string, number> {
  const samples: Record<string, number[]> = {};
  const entries = Object.entries(fns);
  for (const [name] of entries) samples[name] = [];
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? entries : [...entries].reverse();
    for (const [name, fn] of order) samples[name]!.push(timePerCall(fn, ms));
  }
  const out: Record<string, number> = {};
  for (const [name, list] of Object.entries(samples)) {
    const sorted = [...list].sort((a, b) => a - b);
    out[name] = sorted[Math.floor(sorted.length / 2)]!;
  }
  return out;
}

/** Prints rows as an aligned table. */
export function printRows(rows: BenchRow[]): void {
  const lines = rows.map((r) => [
    r.group,
    r.name,
    `${r.value.toFixed(r.value < 10 ? 3 : 1)} ${r.unit}`,
    `${r.ratio.toFixed(2)}×`,
    r.goal ? `${r.goal} ${r.met ? "ok" : "MISSED"}` : "",
  ]);
  const header = ["group", "figure", "value", "ratio", "goal"];
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cols: string[]) => cols.map((c, i) => c.padEnd(widths[i]!)).join("  ");
  console.log(fmt(header));
  for (const l of lines) console.log(fmt(l));
}
