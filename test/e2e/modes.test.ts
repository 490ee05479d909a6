import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { FastifyInstance } from "fastify";
import { describe, expect, test } from "vitest";
import { createServices, type Services, startServer } from "../../src/compose.js";
import { loadConfig } from "../../src/config.js";
import { buildApp } from "../../src/http/app.js";
import { createTempDatabase, postgresAvailable } from "../helpers/databases.js";
import { send } from "../http/helpers.js";

const SCHEMAS = resolve(import.meta.dirname, "../../schemas");

function objectSchema(name: string): string {
  return JSON.stringify({
    type: "object",
    properties: { [name]: { type: "string" } },
    required: [name],
    additionalProperties: false,
  });
}

describe("npm start with a READONLY registry", () => {
  test("starts, publishes nothing from schemas/, says why, and serves reads", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "structreg-modes-"));
    const env = { STRUCTREG_DATA_DIR: dataDir, LOG_LEVEL: "silent", PORT: "0" };
    try {
      const first = await createServices(loadConfig(env));
      await first.registry.setMode(null, "READONLY");
      await first.close();
      const lines: string[] = [];
      const server = await startServer(loadConfig({ ...env, STRUCTREG_SCHEMAS_DIR: SCHEMAS }), {
        log: (line) => lines.push(line),
      });
      try {
        expect(server.sync).toBeUndefined();
        expect(lines).toContain(`schemas folder ${SCHEMAS} not published: the registry is in READONLY mode`);
        expect(await (await fetch(`${server.url}/subjects`)).json()).toEqual([]);
        expect(await (await fetch(`${server.url}/mode`)).json()).toEqual({ mode: "READONLY" });
      } finally {
        await server.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe.skipIf(!postgresAvailable())("two instances on one PostgreSQL", () => {
  async function twoInstances(url: string): Promise<{ apps: FastifyInstance[]; services: Services[] }> {
    const services = await Promise.all(
      [1, 2].map(() => createServices(loadConfig({ DATABASE_URL: url, LOG_LEVEL: "silent" }))),
    );
    const apps = await Promise.all(services.map((s) => buildApp({ registry: s.registry, logger: false })));
    return { apps, services };
  }

  test("a mode set through one instance is enforced by the other at its next request", async () => {
    const db = await createTempDatabase();
    const { apps, services } = await twoInstances(db.url);
    const [a, b] = apps as [FastifyInstance, FastifyInstance];
    try {
      expect(
        (await send(b, "POST", "/subjects/orders/versions", { schema: objectSchema("a") })).statusCode,
      ).toBe(200);
      expect((await send(a, "PUT", "/mode", { mode: "READONLY" })).json()).toEqual({ mode: "READONLY" });
      const refused = await send(b, "POST", "/subjects/orders/versions", { schema: objectSchema("b") });
      expect(refused.json()).toMatchObject({ error_code: 42205, code: "SR_READ_ONLY_MODE" });
      expect((await send(b, "DELETE", "/subjects/orders")).json()).toMatchObject({
        code: "SR_READ_ONLY_MODE",
      });
      expect((await send(b, "GET", "/mode")).json()).toEqual({ mode: "READONLY" });
      await send(b, "PUT", "/mode", { mode: "READWRITE" });
      expect((await send(a, "PUT", "/mode/imported", { mode: "IMPORT" })).statusCode).toBe(200);
      const imported = await send(b, "POST", "/subjects/imported/versions", {
        schema: objectSchema("c"),
        id: 700,
        version: 4,
      });
      expect(imported.json()).toMatchObject({ id: 700, version: 4, created: true });
    } finally {
      await Promise.all(apps.map((app) => app.close()));
      await Promise.all(services.map((s) => s.close()));
      await db.drop();
    }
  }, 120_000);

  test("imports on one instance and new registrations on the other never share an id", async () => {
    const db = await createTempDatabase();
    const { apps, services } = await twoInstances(db.url);
    const [a, b] = apps as [FastifyInstance, FastifyInstance];
    try {
      await send(a, "PUT", "/mode/imported", { mode: "IMPORT" });
      const N = 15;
      // Imported ids start just above where the sequence is, so draws and imports meet on the same numbers.
      const imports = Array.from({ length: N }, (_, i) =>
        send(a, "POST", "/subjects/imported/versions", {
          schema: objectSchema(`i${i}`),
          id: 3 + i * 2,
          version: i + 1,
        }),
      );
      const draws = Array.from({ length: N }, (_, i) =>
        send(b, "POST", `/subjects/drawn-${i}/versions`, { schema: objectSchema(`d${i}`) }),
      );
      const answers = await Promise.all([...imports, ...draws]);
      const importedIds = answers.slice(0, N).map((r) => r.json());
      const drawnIds = answers.slice(N).map((r) => r.json());
      for (const body of drawnIds) expect(body).toMatchObject({ id: expect.any(Number), created: true });
      // An import whose id a concurrent draw took first is refused with the typed conflict, never a 500.
      for (const body of importedIds) {
        expect(body.created === true || body.code === "SR_IMPORT_ID_CONFLICT").toBe(true);
      }
      const ids = [...importedIds, ...drawnIds].filter((b) => b.created === true).map((b) => b.id as number);
      expect(new Set(ids).size).toBe(ids.length);
      const after = (await send(b, "POST", "/subjects/after/versions", { schema: objectSchema("z") })).json();
      expect(after.id).toBeGreaterThan(Math.max(...ids));
    } finally {
      await Promise.all(apps.map((app) => app.close()));
      await Promise.all(services.map((s) => s.close()));
      await db.drop();
    }
  }, 120_000);
});
