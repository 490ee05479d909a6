import type { FastifyInstance } from "fastify";
import { Counter, collectDefaultMetrics, Registry } from "prom-client";
import { type CounterChild, collectPending, PendingCounts } from "../app/pending-counts.js";
import { type HistogramChild, PendingHistogram } from "../app/pending-histogram.js";
import type { AnswerObserver } from "./answer-observers.js";

type HttpLabels = "method" | "route" | "status";

/** structreg's Prometheus registry and the HTTP metrics; later features register theirs on `registry`. */
export interface MetricsRegistry {
  registry: Registry;
  httpRequestsTotal: Counter<HttpLabels>;
  /** Children of `httpRequestsTotal` for the request path (an addition per answer; exact on every scrape). */
  httpRequestsPending: PendingCounts<HttpLabels>;
  /** Observed through children too (see pending-histogram.ts). */
  httpRequestDurationSeconds: PendingHistogram<HttpLabels>;
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
  const httpRequestsPending = new PendingCounts<HttpLabels>();
  return {
    registry,
    httpRequestsTotal: new Counter({
      name: "http_requests_total",
      help: "HTTP requests answered, by method, route template and status.",
      labelNames,
      registers: [registry],
      collect: collectPending(httpRequestsPending),
    }),
    httpRequestsPending,
    httpRequestDurationSeconds: new PendingHistogram<HttpLabels>({
      name: "http_request_duration_seconds",
      help: "Time from request to response, by method, route template and status.",
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  };
}

/** Route label: the route template, never the raw URL (unbounded label values would exhaust memory). */
function routeLabel(url: string | undefined): string {
  return url === undefined || url === "" || url === "*" ? "unmatched" : url;
}

type HttpChildren = { requests: CounterChild; duration: HistogramChild };

/**
 * PERFORMANCE: label children per (route, method, status) in nested maps, so an answer costs three map
 * lookups instead of a label object and a status string. The label values, hence the series, are the ones
 * `inc(labels)` / `observe(labels, v)` would write; the maps grow with the series prom-client keeps anyway.
 */
function createHttpObserver(metrics: MetricsRegistry): AnswerObserver {
  const byRoute = new Map<string, Map<string, Map<number, HttpChildren>>>();
  function childrenOf(method: string, route: string, status: number): HttpChildren {
    let byMethod = byRoute.get(route);
    if (byMethod === undefined) {
      byMethod = new Map();
      byRoute.set(route, byMethod);
    }
    let byStatus = byMethod.get(method);
    if (byStatus === undefined) {
      byStatus = new Map();
      byMethod.set(method, byStatus);
    }
    let children = byStatus.get(status);
    if (children === undefined) {
      const labels = { method, route, status: String(status) };
      children = {
        requests: metrics.httpRequestsPending.child(labels),
        duration: metrics.httpRequestDurationSeconds.child(labels),
      };
      byStatus.set(status, children);
    }
    return children;
  }
  return (request, reply, route, ms) => {
    const children = childrenOf(request.method, routeLabel(route), reply.statusCode);
    children.requests.inc();
    children.duration.observe(ms / 1000);
  };
}

/** Serves the registry at GET /metrics; answers the observer that records every answer in the HTTP metrics. */
export function registerMetrics(app: FastifyInstance, metrics: MetricsRegistry): AnswerObserver {
  app.get(
    "/metrics",
    { schema: { hide: true }, config: { scope: "read", rawJson: true } },
    async (_request, reply) => {
      const text = await metrics.registry.metrics();
      return reply.type(metrics.registry.contentType).send(text);
    },
  );
  return createHttpObserver(metrics);
}
