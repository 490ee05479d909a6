import { describe, expect, test } from "vitest";
import { createMemorySchemaStore } from "../../../src/adapters/storage/memory-schema-store.js";
import { createRegistryService } from "../../../src/app/registry.js";
import type { HttpToken } from "../../../src/http/auth.js";
import { objectSchema, send, testApp } from "../helpers.js";

const TOKENS: HttpToken[] = [
  { name: "deployer", secret: "w-secret", scopes: ["write"] },
  { name: "ops", secret: "a-secret", scopes: ["read", "admin"] },
];
const AS = (secret: string, extra: Record<string, string> = {}) => ({
  authorization: `Bearer ${secret}`,
  "content-type": "application/json",
  ...extra,
});

async function appWith(tokens: HttpToken[] = []) {
  const registry = createRegistryService({ store: createMemorySchemaStore() });
  return (await testApp({ registry, options: { tokens } })).app;
}

describe("GET /subjects/{s}/events", () => {
  test("lists registrations, state changes, deletes and config changes with who and why, newest first", async () => {
    const app = await appWith(TOKENS);
    const w = AS("w-secret");
    await send(app, "POST", "/subjects/orders/versions", { schema: objectSchema() }, w);
    await send(
      app,
      "PUT",
      "/subjects/orders/versions/1/state",
      { state: "DEPRECATED" },
      {
        ...w,
        "x-structreg-reason": "superseded by v2",
      },
    );
    await send(app, "PUT", "/config/orders", { compatibility: "FULL" }, AS("a-secret"));
    await send(app, "PUT", "/config/orders", { compatibility: "FULL" }, AS("a-secret")); // no change: no event
    expect(
      (await send(app, "DELETE", "/subjects/orders/versions/1", undefined, AS("a-secret"))).statusCode,
    ).toBe(200);
    const res = await send(app, "GET", "/subjects/orders/events", undefined, AS("w-secret"));
    expect(res.statusCode).toBe(200);
    const events = res.json() as Array<Record<string, unknown>>;
    expect(events.map((e) => e.kind)).toEqual([
      "version-deleted",
      "config-changed",
      "state-changed",
      "registered",
    ]);
    expect(events[1]).toMatchObject({
      version: null,
      changes: { compatibility: { from: null, to: "FULL" } },
      who: "ops",
      scope: "admin",
    });
    expect(events[2]).toMatchObject({
      version: 1,
      changes: { state: { from: "ENABLED", to: "DEPRECATED" } },
      who: "deployer",
      scope: "write",
      reason: "superseded by v2",
    });
    const page = await send(
      app,
      "GET",
      `/subjects/orders/events?limit=1&before=${events[1]!.id}`,
      undefined,
      w,
    );
    expect((page.json() as Array<{ kind: string }>).map((e) => e.kind)).toEqual(["state-changed"]);
  });

  test('names "local" without tokens; an unknown subject is SR_SUBJECT_NOT_FOUND', async () => {
    const app = await appWith();
    await send(app, "POST", "/subjects/orders/versions", { schema: objectSchema() });
    const [event] = (await send(app, "GET", "/subjects/orders/events")).json() as Array<
      Record<string, unknown>
    >;
    expect(event).toMatchObject({ kind: "registered", who: "local", scope: null, reason: null });
    const missing = await send(app, "GET", "/subjects/nope/events");
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: "SR_SUBJECT_NOT_FOUND" });
  });

  test("refuses a limit above the page size", async () => {
    const app = await appWith();
    const res = await send(app, "GET", "/subjects/orders/events?limit=100000");
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: expect.stringMatching(/^SR_/) });
  });
});
