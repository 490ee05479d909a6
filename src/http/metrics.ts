import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

type HttpLabels = "method" | "route" | "status";

/** structreg's Prometheus registry and the HTTP metrics; later features register theirs on `registry`. */
export interface MetricsRegistry {
  registry: Registry;
  httpRequestsTotal: Counter<HttpLabels>;
  httpRequestDurationSeconds: Histogram<HttpLabels>;
}

/** Options for `createMetricsRegistry`. */
export interface MetricsOptions {
  /** Collect Node's default process metrics (CPU, memory, event loop, GC). Default true. */
  defaultMetrics?: boolean;
}

/** Creates a registry of its own (never prom-client's global one) with the HTTP metrics. */
export function createMetricsRegistry(options: MetricsOptions = {}): MetricsRegistry {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const labelNames: HttpLabels[] = ["method", "route", "status"];
  return {
    registry,
    httpRequestsTotal: new Counter({
      name: "http_requests_total",
      help: "HTTP requests answered, by method, route template and status.",
      labelNames,
      registers: [registry],
    }),
    httpRequestDurationSeconds: new Histogram({
      name: "http_request_duration_seconds",
      help: "Time from request to response, by method, route template and status.",
      labelNames,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  };
}

/** Route label: the route template, never the raw URL (unbounded label values would exhaust memory). */
function routeLabel(request: FastifyRequest): string {
  const url = request.routeOptions.url;
  return url === undefined || url === "" || url === "*" ? "unmatched" : url;
}

/** Records every answer in the HTTP metrics and serves the registry at GET /metrics. */
export function registerMetrics(app: FastifyInstance, metrics: MetricsRegistry): void {
  app.addHook("onResponse", async (request: FastifyRequest, reply: FastifyReply) => {
    const labels = { method: request.method, route: routeLabel(request), status: String(reply.statusCode) };
    metrics.httpRequestsTotal.inc(labels);
    metrics.httpRequestDurationSeconds.observe(labels, reply.elapsedTime / 1000);
  });
  app.get(
    "/metrics",
    { schema: { hide: true }, config: { scope: "read", rawJson: true } },
    async (_request, reply) => {
      const text = await metrics.registry.metrics();
      return reply.type(metrics.registry.contentType).send(text);
    },
  );
}
