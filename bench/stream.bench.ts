/**
 * Streaming benchmark. Baseline: one `parse()` of the whole output (strict track), measured in the same
 * run. Figure: the same output fed to a stream parser in 2,000 deltas, a partial value read after each
 * delta (the case: "after each, can answer the current partial value"), then `end()` (goal ≤ 2×);
 * the same reading a partial every 10 deltas; and the preview alone (without `end()`). The output is
 * ~20 KB of the medium fixture's schema.
 */
import { createParser } from "../src/core/parse/pipeline.js";
import { mediumFixture } from "./fixtures.js";
import { type BenchRow, compareCosts } from "./harness.js";

const TARGET_CHARS = 20_000;
const DELTAS = 2_000;

/** The medium fixture with as many `lines` items as make its output ~20 KB. */
function twentyKilobytes(): { schema: object; text: string } {
  const { schema, output } = mediumFixture();
  const item = (output.lines as unknown[])[0];
  const lines: unknown[] = [];
  while (JSON.stringify({ ...output, lines }).length < TARGET_CHARS) lines.push(item);
  // A flat copy: model output reaches the parser flat, not as a rope built by concatenation.
  return { schema, text: JSON.parse(JSON.stringify(JSON.stringify({ ...output, lines }))) as string };
}

/**
 * The text cut into `count` deltas of (nearly) equal length. Each is a flat copy: deltas reach the parser
 * decoded from an event's JSON, not as slices of one big string.
 */
function deltasOf(text: string, count: number): string[] {
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    const piece = text.slice(
      Math.floor((k * text.length) / count),
      Math.floor(((k + 1) * text.length) / count),
    );
    out.push(JSON.parse(JSON.stringify(piece)) as string);
  }
  return out;
}

/** Runs the benchmark and returns its rows. */
export async function run(): Promise<BenchRow[]> {
  const { schema, text } = twentyKilobytes();
  const parser = createParser(schema as never);
  const deltas = deltasOf(text, DELTAS);
  let sink = 0;
  const feed = (every: number) => {
    const stream = parser.stream();
    for (let k = 0; k < deltas.length; k++) {
      stream.write(deltas[k]!);
      if ((k + 1) % every === 0) sink += stream.partial().value === undefined ? 0 : 1;
    }
    return stream;
  };
  const preview = () => feed(1);
  const streamed = () => feed(1).end();
  const sparse = () => feed(10).end();
  const check = streamed();
  if (!check.ok || check.track !== "strict") throw new Error("stream bench output did not parse strictly");
  const costs = compareCosts({ baseline: () => parser.parse(text), streamed, sparse, preview }, 7, 200);
  if (sink < 0) throw new Error("unreachable");
  const base = costs.baseline!;
  const group = `stream ${(text.length / 1000).toFixed(1)} KB in ${deltas.length} deltas`;
  const ratio = costs.streamed! / base;
  return [
    { group, name: "parse() of the whole text (baseline)", value: base / 1000, unit: "µs", ratio: 1 },
    {
      group,
      name: "stream: a partial after each delta, then end() ÷ baseline",
      value: costs.streamed! / 1000,
      unit: "µs",
      ratio,
      goal: "≤ 2×",
      met: ratio <= 2,
    },
    {
      group,
      name: "stream: a partial every 10 deltas, then end() ÷ baseline",
      value: costs.sparse! / 1000,
      unit: "µs",
      ratio: costs.sparse! / base,
    },
    {
      group,
      name: "the preview alone (a partial after each delta, without end()) ÷ baseline",
      value: costs.preview! / 1000,
      unit: "µs",
      ratio: costs.preview! / base,
    },
  ];
}
