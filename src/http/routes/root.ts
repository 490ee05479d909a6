import type { FastifyPluginAsync } from "fastify";
import { StructregError } from "../../core/errors.js";
import { ERROR_RESPONSES } from "../schemas/common.js";
import type { ResourceOptions } from "./types.js";

/** How long /readyz waits for the registry before answering 503. */
const READY_TIMEOUT_MS = 2000;

const STATUS = {
  type: "object",
  required: ["status"],
  properties: { status: { type: "string" } },
} as const;

const ROOT = {
  tags: ["root"],
  summary: "Confluent's root: an empty object",
  response: { 200: { type: "object", additionalProperties: false } },
} as const;
const HEALTHZ = {
  tags: ["probes"],
  summary: "Liveness: the process is up",
  response: { 200: STATUS },
} as const;
const READYZ = {
  tags: ["probes"],
  summary: "Readiness: the registry answers (503 otherwise)",
  response: { 200: STATUS, ...ERROR_RESPONSES },
} as const;

/** Rejects after `ms` unless `promise` settles first; the timer never keeps the process alive. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not ready within ${ms} ms`)), ms);
    timer.unref();
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** GET / and the probes (/healthz, /readyz), which need no token. */
export const rootRoutes: FastifyPluginAsync<ResourceOptions> = async (app, { registry }) => {
  app.get("/", { schema: ROOT, config: { scope: "read" } }, async () => ({}));
  app.get("/healthz", { schema: HEALTHZ, config: { scope: "none" } }, async () => ({ status: "ok" }));
  app.get("/readyz", { schema: READYZ, config: { scope: "none" } }, async (request) => {
    try {
      await within(registry.ready(), READY_TIMEOUT_MS);
    } catch (err) {
      request.log.warn({ err }, "registry not ready");
      throw new StructregError("SR_UNAVAILABLE", "The registry is not ready", { hint: "retry shortly" });
    }
    return { status: "ready" };
  });
};
