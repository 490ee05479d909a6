import { Histogram, Registry } from "prom-client";
import { describe, expect, test } from "vitest";
import { PendingHistogram } from "../../src/app/pending-histogram.js";

const BUCKETS = [0.001, 0.01, 0.1, 1];
const help = "test histogram";

/** prom-client's own Histogram fed the same observations: the text every scrape must match. */
function reference(observations: Array<[Record<string, string>, number]>): Promise<string> {
  const registry = new Registry();
  const histogram = new Histogram({
    name: "t_seconds",
    help,
    labelNames: ["route", "status"],
    buckets: BUCKETS,
    registers: [registry],
  });
  for (const [labels, value] of observations) histogram.observe(labels, value);
  return registry.metrics();
}

describe("PendingHistogram", () => {
  test("a scrape shows what prom-client's Histogram shows for the same observations", async () => {
    const registry = new Registry();
    const histogram = new PendingHistogram<"route" | "status">({
      name: "t_seconds",
      help,
      buckets: BUCKETS,
      registers: [registry],
    });
    const a = { route: "/a", status: "200" };
    const b = { route: "/b", status: "404" };
    const observations: Array<[Record<string, string>, number]> = [
      [a, 0.0005],
      [a, 0.001],
      [a, 0.05],
      [a, 3],
      [b, 0.01],
      [b, 0.5],
    ];
    const children = { "/a": histogram.child(a), "/b": histogram.child(b) };
    for (const [labels, value] of observations) children[labels.route as "/a" | "/b"].observe(value);
    expect(await registry.metrics()).toBe(await reference(observations));
    // Later observations add to the same series.
    children["/b"].observe(0.002);
    expect(await registry.metrics()).toBe(await reference([...observations, [b, 0.002]]));
  });

  test("reset zeroes every series and the children keep counting", async () => {
    const registry = new Registry();
    const histogram = new PendingHistogram<"route">({
      name: "t_seconds",
      help,
      buckets: BUCKETS,
      registers: [registry],
    });
    const child = histogram.child({ route: "/a" });
    child.observe(0.2);
    registry.resetMetrics();
    expect(await registry.metrics()).toContain('t_seconds_count{route="/a"} 0');
    child.observe(0.2);
    expect(await registry.metrics()).toContain('t_seconds_bucket{le="1",route="/a"} 1');
  });
});
