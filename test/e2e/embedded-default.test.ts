import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { createTestServices, startServer } from "../../src/compose.js";
import { loadConfig } from "../../src/config.js";
import { buildApp } from "../../src/http/app.js";
import { createTempDir } from "../helpers/databases.js";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

describe("the embedded default (what `npm start` runs)", () => {
  test("publishes the shipped schemas folder on PGlite, and a restart finds every file unchanged", async () => {
    const dir = await createTempDir("structreg-embedded-");
    const config = loadConfig(
      { LOG_LEVEL: "silent", PORT: "0", STRUCTREG_DATA_DIR: dir.path },
      {},
      REPO_ROOT,
    );
    try {
      const first = await startServer(config);
      try {
        expect(first.sync?.counts).toEqual({ created: 11, unchanged: 0, refused: 0, skipped: 0 });
        const subjects = (await (await fetch(`${first.url}/subjects`)).json()) as string[];
        expect(subjects.sort()).toEqual([
          "expense-report",
          "invoice-extraction",
          "money",
          "purchase-order",
          "sentiment",
          "support-ticket-triage",
        ]);
        // The shared money subject was published before the two subjects referencing it.
        const usedBy = await (await fetch(`${first.url}/subjects/money/versions/1/referencedby`)).json();
        expect(usedBy).toHaveLength(2);
        const latest = (await (await fetch(`${first.url}/subjects/sentiment/versions/latest`)).json()) as {
          version: number;
        };
        expect(latest.version).toBe(2);
      } finally {
        await first.close();
      }
      const second = await startServer(config);
      try {
        expect(second.sync?.counts).toEqual({ created: 0, unchanged: 11, refused: 0, skipped: 0 });
      } finally {
        await second.close();
      }
    } finally {
      await dir.remove();
    }
  }, 120_000);

  test("metrics count registrations by outcome", async () => {
    const services = createTestServices();
    const app = await buildApp({ registry: services.registry, metrics: services.metrics });
    const schema = JSON.stringify({
      type: "object",
      properties: { a: { type: "string" } },
      required: ["a"],
      additionalProperties: false,
    });
    const post = (body: string) =>
      app.inject({
        method: "POST",
        url: "/subjects/m/versions",
        headers: { "content-type": "application/vnd.schemaregistry.v1+json" },
        payload: JSON.stringify({ schema: body }),
      });
    expect((await post(schema)).statusCode).toBe(200);
    expect((await post(schema)).statusCode).toBe(200);
    expect((await post('{"type": "object"}')).statusCode).toBe(422);
    const text = (await app.inject({ method: "GET", url: "/metrics" })).body;
    expect(text).toContain('structreg_registrations_total{outcome="created",code=""} 1');
    expect(text).toContain('structreg_registrations_total{outcome="existing",code=""} 1');
    expect(text).toContain('structreg_registrations_total{outcome="refused",code="SR_LINT_FAILED"} 1');
    await app.close();
  });
});
