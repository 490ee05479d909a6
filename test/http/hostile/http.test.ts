/**
 * Hostile input on every route (issue 9, item 4): each route of the app gets malformed, truncated, refused,
 * oversized, deep, wide, polluting, badly encoded and out-of-range bodies, and hostile path segments. Every
 * answer is a typed 4xx (or a 2xx where the input is actually fine) within a bound, the server stays healthy
 * and nothing stored changes. Routes are read from the app: a new route without a case fails the suite.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { send } from "../helpers.js";
import {
  HOSTILE_IDS,
  HOSTILE_SUBJECTS,
  HOSTILE_VERSIONS,
  hostileBodies,
  hostileSchemas,
  type Variant,
} from "./inputs.js";
import { expectTypedAnswer, probe, snapshot } from "./probe.js";
import { appRoutes, ROUTE_CASES } from "./routes.js";
import { openStack, type Stack } from "./stack.js";

const LIMIT = 256 * 1024;
let stack: Stack;
let before: unknown;

async function seed(stack: Stack): Promise<void> {
  const { app } = stack;
  const closed = (properties: Record<string, unknown>) =>
    JSON.stringify({
      type: "object",
      properties,
      required: Object.keys(properties),
      additionalProperties: false,
    });
  await send(app, "PUT", "/config/invoice", { compatibility: "NONE" });
  await send(app, "POST", "/subjects/invoice/versions", { schema: closed({ total: { type: "number" } }) });
  const v2 = closed({ total: { type: "number" }, note: { type: ["string", "null"] } });
  await send(app, "POST", "/subjects/invoice/versions", { schema: v2 });
  await send(app, "PUT", "/subjects/invoice/rollout", { candidate: 2, percent: 10 });
  const failed = await send(app, "POST", "/subjects/invoice/validate", {
    output: "no json at all",
    key: "k",
  });
  expect(failed.json().quarantineId).toBe(1);
}

beforeAll(async () => {
  stack = await openStack("pglite", { bodyLimitBytes: LIMIT, validateBodyLimitBytes: LIMIT });
  await seed(stack);
  before = await snapshot(stack.app);
}, 180_000);
afterAll(async () => {
  await stack?.close();
});

const REFUSED_FOR_DELETE = new Set([
  "malformed JSON",
  "text/plain",
  "a form",
  "a body past the limit",
  "invalid UTF-8",
]);

/** The variants of one route: its hostile path segments, and hostile bodies where it takes one. */
function variantsOf(key: string): Variant[] {
  const [method, pattern] = key.split(" ") as [string, string];
  const sample = ROUTE_CASES[key];
  if (sample === undefined) return [];
  const out: Variant[] = [];
  const swap = (from: RegExp, values: ReadonlyArray<[string, string]>, what: string) => {
    for (const [name, value] of values)
      out.push({ name: `${what}: ${name}`, path: sample.path.replace(from, `$1${value}$2`) });
  };
  if (pattern.includes(":subject")) swap(/(\/)invoice(\/|\?|$)/, HOSTILE_SUBJECTS, "subject");
  if (pattern.includes(":version")) swap(/(\/versions\/)(?:1|latest)(\/|\?|$)/, HOSTILE_VERSIONS, "version");
  if (pattern.includes(":id")) swap(/(\/ids\/|\/quarantine\/)1(\/|\?|$)/, HOSTILE_IDS, "id");
  // A DELETE ignores its body (a well-formed one is no reason to refuse it): it gets the bodies that must be refused.
  const bodies = hostileBodies(sample.body, LIMIT);
  if (method === "POST" || method === "PUT") out.push(...bodies);
  if (method === "DELETE") out.push(...bodies.filter((b) => REFUSED_FOR_DELETE.has(b.name)));
  if (method === "GET")
    out.push({
      name: "a huge query string",
      path: `${sample.path}${sample.path.includes("?") ? "&" : "?"}x=${"q".repeat(8000)}`,
    });
  return out;
}

describe("every route has hostile cases", () => {
  test("the table covers every route of the app, and nothing else", async () => {
    await stack.app.ready();
    const routes = appRoutes(stack.app).map((r) => `${r.method} ${r.url}`);
    expect(routes.length).toBeGreaterThan(40);
    expect(routes.filter((r) => ROUTE_CASES[r] === undefined)).toEqual([]);
    expect(Object.keys(ROUTE_CASES).filter((k) => !routes.includes(k))).toEqual([]);
  });
});

describe.each(Object.keys(ROUTE_CASES))("%s", (key) => {
  const method = key.split(" ")[0] as string;
  test.each(variantsOf(key).map((v) => [v.name, v] as const))(
    "%s: a typed 4xx in bounded time",
    async (name, v) => {
      const res = await probe(stack.app, {
        method,
        path: v.path ?? (ROUTE_CASES[key]?.path as string),
        ...(v.body === undefined ? {} : { body: v.body }),
        ...(v.contentType === undefined ? {} : { contentType: v.contentType }),
      });
      expectTypedAnswer(res, `${key} with ${name}`);
    },
  );
});

describe.each([
  ["POST /subjects/:subject/versions", "/subjects/invoice/versions"],
  ["POST /subjects/:subject", "/subjects/invoice"],
  ["POST /subjects/:subject/check", "/subjects/invoice/check"],
  [
    "POST /compatibility/subjects/:subject/versions/:version",
    "/compatibility/subjects/invoice/versions/latest",
  ],
])("hostile schemas to %s", (_key, path) => {
  test.each(hostileSchemas())("%s: a typed answer in bounded time", async (name, schema) => {
    const res = await probe(stack.app, {
      method: "POST",
      path,
      body: JSON.stringify({ schema: JSON.stringify(schema) }),
    });
    expectTypedAnswer(res, `${path} with ${name}`);
  });
});

describe("property-based", () => {
  test("any subject name in any route's path: never a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: "binary", maxLength: 300 }),
        fc.constantFrom("/versions", "/validate", "/rollout", ""),
        async (name, suffix) => {
          const path = `/subjects/${encodeURIComponent(name)}${suffix}`;
          const res = await probe(stack.app, {
            method: suffix === "/validate" ? "POST" : "GET",
            path,
            ...(suffix === "/validate" ? { body: '{"output": "{}"}' } : {}),
          });
          expectTypedAnswer(res, path);
        },
      ),
      { numRuns: 60 },
    );
  });

  test("any JSON body to any POST or PUT route: never a 5xx", async () => {
    const writes = Object.entries(ROUTE_CASES).filter(
      ([k]) => /^(POST|PUT) /.test(k) && !k.includes("/generate") && k.includes(":subject"),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...writes),
        fc.jsonValue({ maxDepth: 6 }),
        async ([key, sample], body) => {
          // Another subject: an arbitrary body may be a fine one (`{}` promotes), which must not touch the seed.
          const path = sample.path.replace("/invoice", "/scratch");
          const res = await probe(stack.app, {
            method: key.split(" ")[0] as string,
            path,
            body: JSON.stringify(body),
          });
          expectTypedAnswer(res, `${key} with ${JSON.stringify(body).slice(0, 200)}`);
        },
      ),
      { numRuns: 80 },
    );
  });
});

describe("after every hostile request", () => {
  test("the server is healthy and nothing stored changed", async () => {
    expect((await stack.app.inject({ url: "/healthz" })).statusCode).toBe(200);
    expect((await stack.app.inject({ url: "/readyz" })).statusCode).toBe(200);
    expect(await snapshot(stack.app)).toEqual(before);
  });
});
