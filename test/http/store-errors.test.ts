import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { postgresAvailable } from "../helpers/databases.js";
import { objectSchema, send } from "./helpers.js";
import { openStack, type Stack } from "./hostile/stack.js";

// Inputs PostgreSQL refuses with its own message (seen as 500 SR_STORE_ERROR): each is a typed 4xx first.
const CASES: Array<[string, "GET" | "POST" | "PUT", string, unknown, number, string]> = [
  ["NUL in a subject", "GET", "/subjects/a%00b/versions", undefined, 422, "SR_INVALID_SUBJECT_NAME"],
  ["NUL in a rollout subject", "GET", "/subjects/a%00b/rollout", undefined, 422, "SR_INVALID_SUBJECT_NAME"],
  [
    "year 0 in since",
    "GET",
    "/subjects/s/quarantine?since=0000-01-01T00:00:00Z",
    undefined,
    400,
    "SR_INVALID_REQUEST",
  ],
  [
    "an expanded year in until",
    "GET",
    "/subjects/s/quarantine?until=%2B275760-09-13T00:00:00Z",
    undefined,
    400,
    "SR_INVALID_REQUEST",
  ],
  [
    "a negative year in since",
    "GET",
    "/subjects/s/quarantine/export?since=-000001-01-01T00:00:00Z",
    undefined,
    400,
    "SR_INVALID_REQUEST",
  ],
  [
    "NUL in a rollout reason",
    "POST",
    "/subjects/s/rollout/pause",
    { reason: "a\u0000b" },
    400,
    "SR_INVALID_REQUEST",
  ],
  [
    "a lone surrogate in a rollout reason",
    "POST",
    "/subjects/s/rollout/rollback",
    { reason: "a\ud800" },
    400,
    "SR_INVALID_REQUEST",
  ],
  ["NUL in a config key", "PUT", "/config/s", { "compat\u0000": "NONE" }, 400, "SR_INVALID_REQUEST"],
];

describe.each([
  ["PGlite", "pglite" as const, true],
  ["PostgreSQL", "postgres" as const, postgresAvailable()],
])("no driver text reaches a caller (%s)", (_name, kind, available) => {
  let stack: Stack;
  beforeAll(async () => {
    if (!available) return;
    stack = await openStack(kind);
    await send(stack.app, "POST", "/subjects/s/versions", { schema: objectSchema() });
  }, 180_000);
  afterAll(async () => {
    await stack?.close();
  });

  test.skipIf(!available).each(CASES)("%s is a typed 4xx", async (_case, method, url, body, status, code) => {
    const res = await send(stack.app, method, url, body);
    expect(res.statusCode).toBe(status);
    expect(res.json().code).toBe(code);
    expect(res.body).not.toMatch(/invalid byte sequence|out of range|input syntax/);
  });

  test.skipIf(!available)(
    "a failing output holding NUL and lone surrogates is quarantined, not a 500",
    async () => {
      const res = await send(stack.app, "POST", "/subjects/s/validate", {
        output: "\u0000 no json",
        key: "k\u0000\ud800",
      });
      expect(res.statusCode).toBe(422);
      const id = res.json().quarantineId;
      const sample = await send(stack.app, "GET", `/quarantine/${id}`);
      expect(sample.json()).toMatchObject({ raw: "\u0000 no json" });
    },
  );
});
