import { Counter, Registry } from "prom-client";
import { describe, expect, test } from "vitest";
import { collectPending, PendingCounts } from "../../src/app/pending-counts.js";

function setup() {
  const registry = new Registry();
  const pending = new PendingCounts<"route" | "status">();
  const counter = new Counter({
    name: "t_total",
    help: "test",
    labelNames: ["route", "status"],
    registers: [registry],
    collect: collectPending(pending),
  });
  return { registry, pending, counter };
}

describe("PendingCounts", () => {
  test("every scrape shows exact totals per series, accumulated across scrapes", async () => {
    const { registry, pending } = setup();
    const ok = pending.child({ route: "/a", status: "200" });
    const missing = pending.child({ route: "/a", status: "404" });
    ok.inc();
    ok.inc();
    missing.inc(3);
    let text = await registry.metrics();
    expect(text).toContain('t_total{route="/a",status="200"} 2');
    expect(text).toContain('t_total{route="/a",status="404"} 3');
    ok.inc();
    text = await registry.metrics();
    expect(text).toContain('t_total{route="/a",status="200"} 3');
    expect(text).toContain('t_total{route="/a",status="404"} 3');
    // A scrape with nothing new changes nothing.
    expect(await registry.metrics()).toBe(text);
  });

  test("counter.get() sees pending counts too, and direct inc() calls add to them", async () => {
    const { pending, counter } = setup();
    pending.child({ route: "/b", status: "200" }).inc(2);
    counter.inc({ route: "/b", status: "200" }, 5);
    const { values } = await counter.get();
    expect(values).toEqual([{ labels: { route: "/b", status: "200" }, value: 7 }]);
  });
});
