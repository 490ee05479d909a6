/**
 * validate-and-parse benchmark. Baseline: `JSON.parse` + the compiled ajv validator, measured in the
 * same run. Strict track on valid output ÷ baseline (goal ≤ 1.1×); tolerant track on fenced,
 * prose-wrapped and wrong-case-enum output ÷ the same baseline (goal ≤ 3×).
 */
import { createParser } from "../src/core/parse/pipeline.js";
import { compileSchema } from "../src/core/validate/ajv.js";
import { type BenchFixture, parseFixtures } from "./fixtures.js";
import { type BenchRow, compareCosts } from "./harness.js";

/** The same output with every enum value upper-cased (what drifting models do). */
function wrongCase(fixture: BenchFixture): string {
  return JSON.stringify(fixture.output, (_key, value) =>
    value === "open" || value === "in_progress" || value === "resolved" ? String(value).toUpperCase() : value,
  );
}

/**
 * A flat copy of `s`. Texts built with `+` or template literals are V8 cons strings (ropes); model output
 * reaches the parser flat (decoded from a socket, or read out of a JSON body), and a rope would make
 * every string operation in the parser polymorphic and slower than it is in service.
 */
function flat(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}

function variants(fixture: BenchFixture): Record<string, string> {
  const text = JSON.stringify(fixture.output);
  return {
    fenced: flat(`Here is the result:\n\`\`\`json\n${JSON.stringify(fixture.output, null, 2)}\n\`\`\`\n`),
    "prose-wrapped": flat(`Sure! The structured answer is ${text} Let me know if you need anything else.`),
    "wrong-case enum": wrongCase(fixture),
  };
}

function benchFixture(fixture: BenchFixture): BenchRow[] {
  const validate = compileSchema(fixture.schema);
  const parser = createParser(fixture.schema);
  const text = JSON.stringify(fixture.output);
  const tolerant = variants(fixture);
  for (const [name, t] of Object.entries(tolerant)) {
    const r = parser.parse(t);
    if (!r.ok || r.track !== "tolerant")
      throw new Error(`bench fixture ${fixture.name}/${name} did not repair`);
  }
  const fns: Record<string, () => unknown> = {
    baseline: () => validate(JSON.parse(text)),
    strict: () => parser.parse(text),
  };
  for (const [name, t] of Object.entries(tolerant)) fns[name] = () => parser.parse(t);
  // Nine shorter rounds rather than five: the median of the small schema's ~0.4 µs calls settles better.
  const costs = compareCosts(fns, 9, 120);
  const base = costs.baseline!;
  const row = (name: string, ns: number, goal?: number): BenchRow => {
    const ratio = ns / base;
    const out: BenchRow = { group: `parse ${fixture.name}`, name, value: ns / 1000, unit: "µs", ratio };
    if (goal !== undefined) {
      out.goal = `≤ ${goal}×`;
      out.met = ratio <= goal;
    }
    return out;
  };
  return [
    row("JSON.parse + compiled ajv (baseline)", base),
    row("strict track, valid output ÷ baseline", costs.strict!, 1.1),
    ...Object.keys(tolerant).map((name) => row(`tolerant track, ${name} ÷ baseline`, costs[name]!, 3)),
  ];
}

/** Runs the benchmark and returns its rows. */
export async function run(): Promise<BenchRow[]> {
  return parseFixtures().flatMap(benchFixture);
}
