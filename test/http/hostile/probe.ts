import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { expect } from "vitest";

/** Longest a hostile request may take before the suite calls it a hang. */
export const REQUEST_BOUND_MS = 10_000;

/** What a hostile request is sent as. */
export interface HostileRequest {
  method: string;
  path: string;
  body?: string | Buffer;
  contentType?: string;
}

/** Sends one request in-process, failing (instead of hanging) when no answer comes within the bound. */
export async function probe(app: FastifyInstance, req: HostileRequest): Promise<LightMyRequestResponse> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${REQUEST_BOUND_MS} ms`)), REQUEST_BOUND_MS);
  });
  const headers: Record<string, string> = {};
  if (req.body !== undefined)
    headers["content-type"] = req.contentType ?? "application/vnd.schemaregistry.v1+json";
  try {
    return await Promise.race([
      app.inject({
        method: req.method as "GET",
        url: req.path,
        headers,
        ...(req.body === undefined ? {} : { payload: req.body }),
      }),
      bound,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Every answer is a typed 4xx (code SR_…, numeric error_code), or a 2xx where the input is actually fine. */
export function expectTypedAnswer(
  res: { statusCode: number; body: string; headers?: Record<string, unknown> },
  label: string,
): void {
  expect(res.statusCode, `${label}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
  if (res.statusCode < 400) return;
  if (String(res.headers?.["content-type"] ?? "").startsWith("text/html")) {
    // A console page: the error is shown with its code (src/ui/views/error.eta).
    expect(res.body, label).toMatch(/<span class="code">SR_[A-Z_]+<\/span>/);
    return;
  }
  const body = JSON.parse(res.body) as { code?: unknown; error_code?: unknown };
  expect(body.code, label).toMatch(/^SR_[A-Z_]+$/);
  expect(typeof body.error_code, label).toBe("number");
}

/** Everything a hostile request could change: subjects, versions (ids, schemas, states), configs, rollouts, samples. */
export async function snapshot(app: FastifyInstance): Promise<unknown> {
  const get = async (url: string) => {
    const res = await app.inject({ url });
    return { status: res.statusCode, body: res.json() as unknown };
  };
  const subjects = (await get("/subjects?deleted=true")).body as string[];
  const out: Record<string, unknown> = { subjects, config: await get("/config") };
  for (const s of subjects) {
    const versions = (await get(`/subjects/${s}/versions?deleted=true`)).body as number[];
    const views = [];
    for (const v of versions) views.push(await get(`/subjects/${s}/versions/${v}?deleted=true`));
    const rollout = (await get(`/subjects/${s}/rollout`)).body as Record<string, unknown>;
    out[s] = {
      views,
      config: await get(`/config/${s}`),
      rollout: { ...rollout, figures: undefined },
      quarantine: await get(`/subjects/${s}/quarantine?limit=1000`),
    };
  }
  return out;
}
