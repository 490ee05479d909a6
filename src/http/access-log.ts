/**
 * The access log: one line per answered request, written when the answer has been sent.
 *
 * Fastify's own pair of lines per request ("incoming request" + "request completed") is turned off in
 * buildApp; this plugin writes one line instead, with only the fields an operator reads (method, route,
 * status, duration, request id) and never a header, body or query string, so no secret can reach it.
 *
 * - Routine lines (info) follow `mode` and `sample`: `all` writes a `sample` fraction of them, `errors`
 *   none. Sampling is deterministic (a credit counter), so 0.25 writes exactly one answer in four.
 * - Error lines are never sampled away: every 5xx (level error) and every typed error answer, that is
 *   every 4xx sent through the error handler with an SR_… code (level warn). The answers that are
 *   outcomes, not errors — validate's and generate's 422 rejections, counted by metrics and kept in the
 *   quarantine — are routine lines.
 * - Slow lines (warn) are never sampled away either: any answer that took `slowMs` or longer.
 *
 * PERFORMANCE: an observer of the app's one onResponse hook; a sampled-out routine answer costs a comparison
 * and an addition. The lines reach the process's logger, which writes asynchronously (see runtime/server-logger.ts).
 */

import {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
  LogController,
} from "fastify";
import type { Bindings, ChildLoggerOptions } from "fastify/types/logger.js";
import { symbols } from "pino";
import type { AnswerObserver } from "./answer-observers.js";

/** Which routine lines are written; error and slow lines are always written. */
export type AccessLogMode = "all" | "errors";

/** Access log settings (STRUCTREG_ACCESS_LOG, STRUCTREG_ACCESS_LOG_SAMPLE, STRUCTREG_SLOW_REQUEST_MS). */
export interface AccessLogOptions {
  mode: AccessLogMode;
  /** Fraction of routine lines written in mode `all`, 0 to 1. */
  sample: number;
  /** Answers that took at least this long are logged as slow, ms. */
  slowMs: number;
  /**
   * Writes a line formatted here as the app's pino logger would format it (the server's buffered stdout).
   * Given, routine lines skip pino: a template string instead of pino's generic serialisation.
   */
  write?: ((line: string) => void) | undefined;
}

/** Defaults: every request, slow from one second. */
export const DEFAULT_ACCESS_LOG: Readonly<AccessLogOptions> = { mode: "all", sample: 1, slowMs: 1000 };

/** Resolution of the sampling rate. */
const SAMPLE_UNIT = 1_000_000;

/** Longest URL path written in an error line. */
const MAX_URL = 256;

// The SR_… code of each answer sent by the error handler (errors are rare: a WeakMap costs the happy path nothing).
const errorCodes = new WeakMap<FastifyReply, string>();

/** Called by the error handler for every typed error it sends: the answer gets an error line. */
export function noteErrorCode(reply: FastifyReply, code: string): void {
  errorCodes.set(reply, code);
}

/**
 * Fastify options for request logging: its own two lines per request are turned off (this plugin writes
 * one instead), and each request's child logger (`request.log`, bound to the request id) is created only
 * when something logs through it. PERFORMANCE: a pino child per request costs a few microseconds and its
 * garbage, and on the happy path nothing logs through it (the access line is written by the root logger).
 */
export function requestLoggingOptions(
  withLogger: boolean,
): Pick<FastifyServerOptions, "logController" | "childLoggerFactory"> {
  const logController = new LogController({ disableRequestLogging: true });
  // Without a logger Fastify hands every request its no-op logger itself; a factory would only cost.
  if (!withLogger) return { logController };
  return {
    logController,
    childLoggerFactory: (logger, bindings, options) => new LazyChildLogger(logger, bindings, options),
  };
}

type Level = "fatal" | "error" | "warn" | "info" | "debug" | "trace";
type LogArgs = Parameters<FastifyBaseLogger["info"]>;

/** A child logger made on first use. */
class LazyChildLogger implements FastifyBaseLogger {
  #made: FastifyBaseLogger | undefined;
  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}
  private get made(): FastifyBaseLogger {
    this.#made ??= this.parent.child(this.bindings, this.options);
    return this.#made;
  }
  get level(): string {
    return this.made.level;
  }
  set level(level: string) {
    this.made.level = level;
  }
  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.made.child(bindings, options);
  }
  // Prototype methods, not arrow properties: one allocation per request, not eight.
  silent(): void {}
  fatal(...args: LogArgs): void {
    this.log("fatal", args);
  }
  error(...args: LogArgs): void {
    this.log("error", args);
  }
  warn(...args: LogArgs): void {
    this.log("warn", args);
  }
  info(...args: LogArgs): void {
    this.log("info", args);
  }
  debug(...args: LogArgs): void {
    this.log("debug", args);
  }
  trace(...args: LogArgs): void {
    this.log("trace", args);
  }
  private log(level: Level, args: LogArgs): void {
    (this.made[level] as (...a: LogArgs) => void).apply(this.made, args);
  }
}

/** A sampler: true for a `rate` fraction of calls, spread evenly, no randomness. */
export function createSampler(rate: number): () => boolean {
  if (rate >= 1) return () => true;
  if (rate <= 0) return () => false;
  // Whole millionths, so 0.1 × 10 makes exactly one (floating-point sums would fall just short).
  const step = Math.max(1, Math.round(rate * SAMPLE_UNIT));
  let credit = 0;
  return () => {
    credit += step;
    if (credit < SAMPLE_UNIT) return false;
    credit -= SAMPLE_UNIT;
    return true;
  };
}

/**
 * The access log's observer for an app built with a logger (undefined without one, or with one that drops
 * even errors: it would write nothing). Run from the app's one onResponse hook (answer-observers.ts).
 */
export function createAccessLog(
  app: FastifyInstance,
  options: AccessLogOptions = DEFAULT_ACCESS_LOG,
): AnswerObserver | undefined {
  const log = app.log as FastifyBaseLogger & { isLevelEnabled?: (level: string) => boolean };
  if (typeof log.isLevelEnabled !== "function" || !log.isLevelEnabled("error")) return undefined;
  const routine =
    options.mode === "all" && log.isLevelEnabled("info") ? createSampler(options.sample) : () => false;
  const { slowMs } = options;
  const info = routineWriter(log, options.write);
  return (request, reply, route, ms) => {
    const status = reply.statusCode;
    const code = errorCodes.get(reply);
    if (code !== undefined || status >= 500) writeError(log, request, route, status, ms, code);
    else if (ms >= slowMs) log.warn(fields(request, route, status, ms), "slow request");
    else if (routine()) info(request, route, status, ms);
  };
}

type RoutineWriter = (request: FastifyRequest, route: string | undefined, status: number, ms: number) => void;

/**
 * The writer of routine lines. PERFORMANCE: with a raw line sink, the line pino would write (level, time,
 * the logger's bindings, the fields, msg) is one template string: about a microsecond, where pino's
 * generic path costs several. Every value is JSON-encoded; the route is a registered pattern.
 */
function routineWriter(log: FastifyBaseLogger, write: AccessLogOptions["write"]): RoutineWriter {
  if (write === undefined) {
    return (request, route, status, ms) => log.info(fields(request, route, status, ms), "request");
  }
  // pino's serialised bindings (`,"pid":…,"hostname":…` and any child bindings), as it writes them.
  const chindings = (log as unknown as Record<symbol, unknown>)[symbols.chindingsSym];
  const head = typeof chindings === "string" ? chindings : "";
  const methodAndRoute = createRouteEncoder();
  // The line's start changes once a millisecond at most: many answers share one (no number formatting each).
  let lastNow = -1;
  let start = "";
  return (request, route, status, ms) => {
    const now = Date.now();
    if (now !== lastNow) {
      lastNow = now;
      start = `{"level":30,"time":${now}${head},"reqId":`;
    }
    write(
      `${start}${JSON.stringify(request.id)},${methodAndRoute(request.method, route)},` +
        `"status":${status},"ms":${tenths(ms)},"msg":"request"}\n`,
    );
  };
}

/**
 * `Math.round(ms * 10) / 10` as JSON writes it, from integers: formatting a fraction is a slow
 * double-to-string conversion, small integers are not.
 */
export function tenths(ms: number): string {
  const t = Math.round(ms * 10);
  const whole = Math.floor(t / 10);
  const tenth = t - whole * 10;
  return tenth === 0 ? `${whole}` : `${whole}.${tenth}`;
}

/**
 * `"method":…,"route":…`, encoded once per route pattern and method. Both come from small sets: the
 * registered routes (unmatched requests share one null route) and the methods Node's HTTP parser knows.
 */
function createRouteEncoder(): (method: string, route: string | undefined) => string {
  const encoded = new Map<string | undefined, Map<string, string>>();
  return (method, route) => {
    let byMethod = encoded.get(route);
    if (byMethod === undefined) {
      byMethod = new Map();
      encoded.set(route, byMethod);
    }
    let text = byMethod.get(method);
    if (text === undefined) {
      text = `"method":${JSON.stringify(method)},"route":${JSON.stringify(route ?? null)}`;
      byMethod.set(method, text);
    }
    return text;
  };
}

// The root logger writes every line, with the request id as a field: no per-request child logger is made.
function fields(request: FastifyRequest, route: string | undefined, status: number, ms: number) {
  return {
    reqId: request.id,
    method: request.method,
    route: route ?? null,
    status,
    ms: Math.round(ms * 10) / 10,
  };
}

function writeError(
  log: FastifyBaseLogger,
  request: FastifyRequest,
  route: string | undefined,
  status: number,
  ms: number,
  code: string | undefined,
): void {
  const path = request.url;
  const query = path.indexOf("?");
  const line = {
    ...fields(request, route, status, ms),
    code: code ?? null,
    // The path only: a query string could carry anything, and the route alone may not say what was asked.
    url: (query === -1 ? path : path.slice(0, query)).slice(0, MAX_URL),
  };
  if (status >= 500) log.error(line, "request failed");
  else log.warn(line, "request refused");
}
