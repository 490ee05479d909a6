import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, test } from "vitest";
import { createTestServices } from "../../src/compose.js";
import { loadConfig } from "../../src/config.js";
import {
  type AccessLogOptions,
  createSampler,
  DEFAULT_ACCESS_LOG,
  tenths,
} from "../../src/http/access-log.js";
import { buildApp } from "../../src/http/app.js";
import { createMetricsRegistry } from "../../src/http/metrics.js";
import { createServerLogger } from "../../src/runtime/server-logger.js";
import { captureLogger } from "./capture-logger.js";
import { objectSchema, send, VND } from "./helpers.js";

const SECRET = "tok-0123456789abcdef-secret";
const TOKENS = [{ name: "reader", secret: SECRET, scopes: ["read" as const] }];

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

interface Line {
  level: number;
  msg: string;
  reqId?: string;
  method?: string;
  route?: string | null;
  status?: number;
  ms?: number;
  code?: string | null;
  url?: string;
}

/** An app with validation over the in-memory services (subject `tickets` registered), logging into `lines`. */
async function loggedApp(accessLog: Partial<AccessLogOptions> = {}, tokens: typeof TOKENS = []) {
  const { logger, lines } = captureLogger();
  const services = createTestServices();
  await services.registry.register("tickets", JSON.parse(objectSchema({ name: { type: "string" } })));
  app = await buildApp({
    registry: services.registry,
    validation: services.validation,
    metrics: createMetricsRegistry({ defaultMetrics: false }),
    logger,
    options: { accessLog: { ...DEFAULT_ACCESS_LOG, ...accessLog }, tokens },
  });
  const read = (): Line[] => lines.map((line) => JSON.parse(line) as Line);
  return { app, read };
}

const validate = (target: FastifyInstance, output: string) =>
  send(target, "POST", "/subjects/tickets/validate", { output });

describe("access log", () => {
  test("writes one line per request: method, route, status, duration and request id", async () => {
    const { app, read } = await loggedApp();
    const res = await send(app, "GET", "/subjects");
    expect(res.statusCode).toBe(200);
    const lines = read();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      msg: "request",
      reqId: res.headers["x-request-id"],
      method: "GET",
      route: "/subjects",
      status: 200,
    });
    expect(typeof lines[0]?.ms).toBe("number");
    expect(lines.some((l) => l.msg === "incoming request" || l.msg === "request completed")).toBe(false);
  });

  test("a validate rejection (422 outcome) is a routine line, not an error line", async () => {
    const { app, read } = await loggedApp();
    expect((await validate(app, "no JSON here")).statusCode).toBe(422);
    expect(read()).toEqual([expect.objectContaining({ level: 30, msg: "request", status: 422 })]);
  });

  test("mode errors keeps error lines and drops routine ones", async () => {
    const { app, read } = await loggedApp({ mode: "errors" });
    await send(app, "GET", "/subjects");
    await validate(app, "no JSON here");
    await send(app, "GET", "/no/such/route");
    expect(read()).toEqual([
      expect.objectContaining({ level: 40, msg: "request refused", status: 404, code: "SR_ROUTE_NOT_FOUND" }),
    ]);
  });

  test("every 5xx is logged at level error even with sampling at 0", async () => {
    const { logger, lines } = captureLogger();
    const services = createTestServices();
    services.registry.listSubjects = async () => {
      throw new TypeError("boom");
    };
    app = await buildApp({
      registry: services.registry,
      logger,
      options: { accessLog: { mode: "all", sample: 0, slowMs: 60_000 } },
    });
    expect((await send(app, "GET", "/subjects")).statusCode).toBe(500);
    const logged = lines.map((line) => JSON.parse(line) as Line);
    expect(logged.find((l) => l.msg === "request failed")).toMatchObject({
      level: 50,
      status: 500,
      code: "SR_INTERNAL",
      route: "/subjects",
    });
  });

  test("slow requests are always logged (level warn), whatever the sampling", async () => {
    const { app, read } = await loggedApp({ mode: "errors", sample: 0, slowMs: 0 });
    await send(app, "GET", "/subjects");
    expect(read()).toEqual([expect.objectContaining({ level: 40, msg: "slow request", status: 200 })]);
  });

  test("sampling writes the given fraction of routine lines, and errors beside them", async () => {
    const { app, read } = await loggedApp({ sample: 0.25 });
    for (let i = 0; i < 8; i++) await send(app, "GET", "/subjects");
    await send(app, "GET", "/no/such/route");
    const lines = read();
    expect(lines.filter((l) => l.msg === "request")).toHaveLength(2);
    expect(lines.filter((l) => l.msg === "request refused")).toHaveLength(1);
  });

  test("secrets never reach it: no header, no query string", async () => {
    const { app, read } = await loggedApp({}, TOKENS);
    const auth = { authorization: `Bearer ${SECRET}` };
    await send(app, "GET", "/subjects", undefined, auth);
    await send(app, "GET", `/no/such/route?token=${SECRET}`, undefined, auth);
    await send(app, "GET", "/subjects", undefined, { authorization: `Bearer ${SECRET}x` });
    const text = JSON.stringify(read());
    expect(read().map((l) => l.status)).toEqual([200, 404, 401]);
    expect(text).not.toContain(SECRET);
    expect(read()[1]).toMatchObject({ url: "/no/such/route", code: "SR_ROUTE_NOT_FOUND" });
  });

  test("errors logged through request.log still carry the request id", async () => {
    const { logger, lines } = captureLogger();
    const services = createTestServices();
    services.registry.listSubjects = async () => {
      throw new TypeError("boom");
    };
    app = await buildApp({ registry: services.registry, logger });
    const res = await send(app, "GET", "/subjects");
    const logged = lines.map((line) => JSON.parse(line) as Line);
    expect(logged.find((l) => l.msg === "unexpected error")).toMatchObject({
      reqId: res.headers["x-request-id"],
    });
  });

  test("an app without a logger answers as usual", async () => {
    const services = createTestServices();
    app = await buildApp({ registry: services.registry, logger: false });
    const res = await app.inject({ method: "GET", url: "/subjects", headers: { accept: VND } });
    expect(res.statusCode).toBe(200);
  });
});

describe("the raw line sink (structreg serve's fast path)", () => {
  test("writes routine lines exactly as pino would, and errors still through pino", async () => {
    const { logger, lines } = captureLogger();
    const raw: string[] = [];
    const services = createTestServices();
    app = await buildApp({
      registry: services.registry,
      logger,
      options: { accessLog: { ...DEFAULT_ACCESS_LOG, write: (line) => raw.push(line) } },
    });
    const res = await send(app, "GET", "/subjects");
    await send(app, "GET", "/no/such/route");
    expect(raw).toHaveLength(1);
    expect(raw[0]?.endsWith("}\n")).toBe(true);
    const line = JSON.parse(raw[0] ?? "") as Line & { pid: number; hostname: string; time: number };
    expect(line).toMatchObject({
      level: 30,
      pid: process.pid,
      reqId: res.headers["x-request-id"],
      method: "GET",
      route: "/subjects",
      status: 200,
      msg: "request",
    });
    expect(Object.keys(line)).toEqual([
      "level",
      "time",
      "pid",
      "hostname",
      "reqId",
      "method",
      "route",
      "status",
      "ms",
      "msg",
    ]);
    expect(lines.map((l) => (JSON.parse(l) as Line).msg)).toEqual(["request refused"]);
  });
});

describe("tenths", () => {
  test.each([0, 0.04, 0.05, 0.15, 0.96, 1, 1.25, 3, 12.34, 999.96, 86_400_000.04])(
    "writes %d ms as JSON writes Math.round(ms * 10) / 10",
    (ms) => {
      expect(tenths(ms)).toBe(JSON.stringify(Math.round(ms * 10) / 10));
    },
  );
});

describe("createSampler", () => {
  test.each([
    [0, 0],
    [0.1, 10],
    [0.5, 50],
    [1, 100],
  ])("rate %d lets %d calls of 100 through", (rate, expected) => {
    const sample = createSampler(rate);
    let through = 0;
    for (let i = 0; i < 100; i++) if (sample()) through++;
    expect(through).toBe(expected);
  });
});

describe("access log settings", () => {
  test("defaults: every request, slow from one second", () => {
    expect(loadConfig({}).accessLog).toEqual({ mode: "all", sample: 1, slowMs: 1000 });
  });

  test("reads STRUCTREG_ACCESS_LOG, STRUCTREG_ACCESS_LOG_SAMPLE and STRUCTREG_SLOW_REQUEST_MS", () => {
    const env = {
      STRUCTREG_ACCESS_LOG: "errors",
      STRUCTREG_ACCESS_LOG_SAMPLE: "0.1",
      STRUCTREG_SLOW_REQUEST_MS: "250",
    };
    expect(loadConfig(env).accessLog).toEqual({ mode: "errors", sample: 0.1, slowMs: 250 });
  });

  test.each([
    ["STRUCTREG_ACCESS_LOG", "off"],
    ["STRUCTREG_ACCESS_LOG_SAMPLE", "1.5"],
    ["STRUCTREG_ACCESS_LOG_SAMPLE", "-0.1"],
    ["STRUCTREG_ACCESS_LOG_SAMPLE", "half"],
    ["STRUCTREG_SLOW_REQUEST_MS", "0"],
  ])("refuses %s=%s with SR_CONFIG_INVALID", (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(
      expect.objectContaining({ code: "SR_CONFIG_INVALID" }),
    );
  });
});

describe("createServerLogger", () => {
  test("buffers lines and writes every one of them on flush", () => {
    const dir = mkdtempSync(join(tmpdir(), "structreg-log-"));
    const path = join(dir, "out.log");
    const fd = openSync(path, "w");
    try {
      const { logger, writeLine, flush } = createServerLogger({ level: "info" }, fd);
      for (let i = 0; i < 5; i++) logger.info({ i }, "line");
      writeLine('{"i":5}\n');
      expect(readFileSync(path, "utf8")).toBe("");
      flush();
      flush();
      const lines = readFileSync(path, "utf8").trim().split("\n");
      expect(lines.map((l) => (JSON.parse(l) as { i: number }).i)).toEqual([0, 1, 2, 3, 4, 5]);
    } finally {
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
