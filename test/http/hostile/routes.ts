import type { FastifyInstance } from "fastify";

/** One route of the app: method and URL pattern as Fastify prints it. */
export interface AppRoute {
  method: string;
  url: string;
}

/**
 * Every route of a ready app, read from `printRoutes` (the tree Fastify builds), HEAD aside (Fastify adds it
 * to every GET). A route added to the app shows up here, so a table keyed by route misses it visibly.
 */
export function appRoutes(app: FastifyInstance): AppRoute[] {
  const stack: string[] = [];
  const routes: AppRoute[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split("\n")) {
    const match = /^([│ ]*)[├└]── (.*?) \(([A-Z, ]+)\)$/.exec(line);
    if (match === null) continue;
    const depth = (match[1] as string).length / 4;
    stack.length = depth;
    stack.push(match[2] as string);
    const url = stack.join("").replace(/^\/\//, "/");
    for (const method of (match[3] as string).split(", ")) {
      if (method !== "HEAD") routes.push({ method, url });
    }
  }
  return routes;
}

/** A route's sample request: path parameters filled in, and a valid body where it takes one. */
export interface RouteCase {
  /** The URL with valid path parameters (seeded data). */
  path: string;
  body?: unknown;
}

const S = "/subjects/invoice";
const V = `${S}/versions/1`;
const SCHEMA = JSON.stringify({
  type: "object",
  properties: { total: { type: "number" } },
  required: ["total"],
  additionalProperties: false,
});

/** Every route of the full app, keyed "METHOD url": the hostile suite sends each its variants. */
export const ROUTE_CASES: Readonly<Record<string, RouteCase>> = {
  "GET /": { path: "/" },
  "GET /metrics": { path: "/metrics" },
  "GET /mode": { path: "/mode" },
  "PUT /mode": { path: "/mode", body: { mode: "READWRITE" } },
  "GET /mode/:subject": { path: "/mode/invoice?defaultToGlobal=true" },
  "PUT /mode/:subject": { path: "/mode/invoice", body: { mode: "READWRITE" } },
  "DELETE /mode/:subject": { path: "/mode/invoice" },
  "GET /docs": { path: "/docs" },
  "GET /docs/": { path: "/docs/" },
  "GET /docs/static/index.html": { path: "/docs/static/index.html" },
  "GET /docs/static/swagger-initializer.js": { path: "/docs/static/swagger-initializer.js" },
  "GET /docs/*": { path: "/docs/static/../../subjects" },
  "GET /docs/json": { path: "/docs/json" },
  "GET /docs/yaml": { path: "/docs/yaml" },
  "GET /healthz": { path: "/healthz" },
  "GET /readyz": { path: "/readyz" },
  "GET /subjects": { path: "/subjects" },
  "POST /subjects/:subject": { path: S, body: { schema: SCHEMA } },
  "DELETE /subjects/:subject": { path: S },
  "GET /subjects/:subject/versions": { path: `${S}/versions` },
  "POST /subjects/:subject/versions": { path: `${S}/versions`, body: { schema: SCHEMA } },
  "GET /subjects/:subject/versions/:version": { path: V },
  "DELETE /subjects/:subject/versions/:version": { path: V },
  "GET /subjects/:subject/versions/:version/schema": { path: `${V}/schema` },
  "PUT /subjects/:subject/versions/:version/state": { path: `${V}/state`, body: { state: "DEPRECATED" } },
  "GET /subjects/:subject/versions/:version/referencedby": { path: `${V}/referencedby` },
  "GET /subjects/:subject/versions/:version/provider": { path: `${V}/provider` },
  "POST /subjects/:subject/validate": { path: `${S}/validate`, body: { output: '{"total": 1}', key: "k" } },
  "POST /subjects/:subject/check": { path: `${S}/check`, body: { schema: SCHEMA } },
  "GET /subjects/:subject/quarantine": { path: `${S}/quarantine?limit=10` },
  "GET /subjects/:subject/quarantine/export": { path: `${S}/quarantine/export` },
  "POST /subjects/:subject/quarantine/replay": { path: `${S}/quarantine/replay`, body: { ids: [1] } },
  "POST /subjects/:subject/generate": { path: `${S}/generate`, body: { input: "hello" } },
  "GET /subjects/:subject/rollout": { path: `${S}/rollout` },
  "PUT /subjects/:subject/rollout": { path: `${S}/rollout`, body: { candidate: 2, percent: 10 } },
  "POST /subjects/:subject/rollout/promote": { path: `${S}/rollout/promote`, body: { reason: "r" } },
  "POST /subjects/:subject/rollout/pause": { path: `${S}/rollout/pause`, body: { reason: "r" } },
  "POST /subjects/:subject/rollout/rollback": { path: `${S}/rollout/rollback`, body: { reason: "r" } },
  "GET /subjects/:subject/rollout/history": { path: `${S}/rollout/history?limit=5` },
  "GET /schemas/types": { path: "/schemas/types" },
  "GET /schemas/ids/:id": { path: "/schemas/ids/1" },
  "GET /schemas/ids/:id/schema": { path: "/schemas/ids/1/schema" },
  "GET /schemas/ids/:id/subjects": { path: "/schemas/ids/1/subjects" },
  "GET /schemas/ids/:id/versions": { path: "/schemas/ids/1/versions" },
  "POST /compatibility/subjects/:subject/versions": {
    path: "/compatibility/subjects/invoice/versions",
    body: { schema: SCHEMA },
  },
  "POST /compatibility/subjects/:subject/versions/:version": {
    path: "/compatibility/subjects/invoice/versions/latest",
    body: { schema: SCHEMA },
  },
  "GET /config": { path: "/config" },
  "PUT /config": { path: "/config", body: { compatibility: "FULL" } },
  "DELETE /config": { path: "/config" },
  "GET /config/:subject": { path: "/config/invoice" },
  "PUT /config/:subject": { path: "/config/invoice", body: { compatibility: "FULL" } },
  "DELETE /config/:subject": { path: "/config/invoice" },
  "GET /quarantine/:id": { path: "/quarantine/1" },
  // The console (src/ui): pages answer HTML, errors show their SR_ code (see expectTypedAnswer).
  "GET /summary/subjects": { path: "/summary/subjects" },
  "GET /ui": { path: "/ui" },
  "GET /ui/": { path: "/ui/" },
  "GET /ui/login": { path: "/ui/login" },
  "POST /ui/login": { path: "/ui/login", body: { token: "not-a-token" } },
  "POST /ui/logout": { path: "/ui/logout", body: {} },
  "GET /ui/assets/:file": { path: "/ui/assets/console.missing.css" },
  "GET /ui/subjects/:subject": { path: "/ui/subjects/invoice" },
  "POST /ui/subjects/:subject/versions/:version/state": {
    path: "/ui/subjects/invoice/versions/1/state",
    body: { state: "DEPRECATED" },
  },
  "POST /ui/subjects/:subject/versions/:version/delete": {
    path: "/ui/subjects/invoice/versions/1/delete",
    body: {},
  },
  "POST /ui/subjects/:subject/delete": { path: "/ui/subjects/invoice/delete", body: {} },
  "GET /ui/subjects/:subject/diff": { path: "/ui/subjects/invoice/diff?from=1&to=2" },
  "GET /ui/subjects/:subject/rollout": { path: "/ui/subjects/invoice/rollout" },
  "GET /ui/subjects/:subject/rollout/live": { path: "/ui/subjects/invoice/rollout/live" },
  "POST /ui/subjects/:subject/rollout/set": {
    path: "/ui/subjects/invoice/rollout/set",
    body: { candidate: "2", percent: "10", reason: "r" },
  },
  "POST /ui/subjects/:subject/rollout/promote": {
    path: "/ui/subjects/invoice/rollout/promote",
    body: { reason: "r" },
  },
  "POST /ui/subjects/:subject/rollout/pause": {
    path: "/ui/subjects/invoice/rollout/pause",
    body: { reason: "r" },
  },
  "POST /ui/subjects/:subject/rollout/rollback": {
    path: "/ui/subjects/invoice/rollout/rollback",
    body: { reason: "r" },
  },
  "GET /ui/subjects/:subject/bad-cases": { path: "/ui/subjects/invoice/bad-cases" },
  "GET /ui/subjects/:subject/bad-cases/export": { path: "/ui/subjects/invoice/bad-cases/export" },
  "POST /ui/subjects/:subject/bad-cases/replay": {
    path: "/ui/subjects/invoice/bad-cases/replay",
    body: { ids: ["1"] },
  },
  "GET /ui/subjects/:subject/timeline": { path: "/ui/subjects/invoice/timeline" },
  "GET /ui/settings": { path: "/ui/settings" },
  "POST /ui/settings": { path: "/ui/settings", body: { compatibility: "FULL" } },
  "POST /ui/settings/reset": { path: "/ui/settings/reset", body: { subject: "invoice" } },
  "GET /ui/bad-cases/:id": { path: "/ui/bad-cases/1" },
  "GET /ui/check": { path: "/ui/check" },
  "POST /ui/check": { path: "/ui/check", body: { subject: "invoice", schema: SCHEMA } },
  "POST /ui/check/evidence": { path: "/ui/check/evidence", body: { subject: "invoice", schema: SCHEMA } },
  "POST /ui/register": { path: "/ui/register", body: { subject: "invoice", schema: SCHEMA } },
  "GET /ui/playground": { path: "/ui/playground" },
  "POST /ui/playground": { path: "/ui/playground", body: { subject: "invoice", output: '{"total": 1}' } },
};
