import { describe, expect, test } from "vitest";
import { createMetricsRegistry } from "../../src/http/metrics.js";
import { send, testApp } from "./helpers.js";

describe("/metrics", () => {
  test("counts requests by method, route template and status", async () => {
    const metrics = createMetricsRegistry({ defaultMetrics: false });
    const { app } = await testApp({ metrics });
    await send(app, "GET", "/subjects");
    await send(app, "GET", "/subjects/a/versions/1");
    await send(app, "GET", "/subjects/b/versions/2");
    await send(app, "GET", "/definitely/not/a/route");
    const res = await send(app, "GET", "/metrics");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/plain/);
    expect(res.body).toContain('http_requests_total{method="GET",route="/subjects",status="200"} 1');
    expect(res.body).toContain(
      'http_requests_total{method="GET",route="/subjects/:subject/versions/:version",status="404"} 2',
    );
    expect(res.body).toContain('http_requests_total{method="GET",route="unmatched",status="404"} 1');
    expect(res.body).not.toContain("definitely");
    expect(res.body).toMatch(
      /http_request_duration_seconds_bucket\{le="0.001",method="GET",route="\/subjects"/,
    );
  });

  test("counts each route, method and status apart, and repeats of one on the same series", async () => {
    const metrics = createMetricsRegistry({ defaultMetrics: false });
    const { app } = await testApp({ metrics });
    for (let i = 0; i < 3; i++) await send(app, "GET", "/subjects");
    await send(app, "DELETE", "/subjects/nope");
    await send(app, "GET", "/subjects/nope/versions");
    const res = await send(app, "GET", "/metrics");
    expect(res.body).toContain('http_requests_total{method="GET",route="/subjects",status="200"} 3');
    expect(res.body).toContain(
      'http_requests_total{method="DELETE",route="/subjects/:subject",status="404"} 1',
    );
    expect(res.body).toContain(
      'http_requests_total{method="GET",route="/subjects/:subject/versions",status="404"} 1',
    );
    expect(res.body).toContain(
      'http_request_duration_seconds_count{method="GET",route="/subjects",status="200"} 3',
    );
  });

  test("includes default process metrics unless turned off", async () => {
    const { app } = await testApp({ metrics: createMetricsRegistry() });
    const res = await send(app, "GET", "/metrics");
    expect(res.body).toContain("process_cpu_user_seconds_total");
  });

  test("later features add their own metrics to the same registry", async () => {
    const metrics = createMetricsRegistry({ defaultMetrics: false });
    const { Counter } = await import("prom-client");
    new Counter({ name: "structreg_feature_total", help: "x", registers: [metrics.registry] }).inc();
    const { app } = await testApp({ metrics });
    expect((await send(app, "GET", "/metrics")).body).toContain("structreg_feature_total 1");
  });
});
