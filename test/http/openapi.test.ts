import { describe, expect, test } from "vitest";
import { send, testApp } from "./helpers.js";

describe("OpenAPI document", () => {
  test("describes every route with its extension fields and media types", async () => {
    const { app } = await testApp();
    const res = await send(app, "GET", "/docs/json");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    const doc = res.json();
    expect(doc.openapi).toBe("3.0.3");
    for (const path of [
      "/subjects/{subject}/versions",
      "/subjects/{subject}/versions/{version}",
      "/subjects/{subject}/check",
      "/subjects/{subject}/versions/{version}/provider",
      "/subjects/{subject}/versions/{version}/state",
      "/compatibility/subjects/{subject}/versions/{version}",
      "/schemas/ids/{id}",
      "/config/{subject}",
    ]) {
      expect(doc.paths).toHaveProperty([path]);
    }
    const get = doc.paths["/subjects/{subject}/versions/{version}"].get;
    const view = get.responses["200"].content["application/vnd.schemaregistry.v1+json"].schema;
    expect(Object.keys(view.properties)).toEqual(
      expect.arrayContaining(["fingerprint", "state", "deleted", "createdAt"]),
    );
    expect(get.responses["4XX"]).toBeDefined();
    const post = doc.paths["/subjects/{subject}/versions"].post;
    expect(Object.keys(post.requestBody.content)).toEqual([
      "application/vnd.schemaregistry.v1+json",
      "application/vnd.schemaregistry+json",
      "application/json",
    ]);
    const raw = doc.paths["/subjects/{subject}/versions/{version}/schema"].get;
    expect(Object.keys(raw.responses["200"].content)).toEqual(["application/json"]);
    expect(doc.paths["/metrics"]).toBeUndefined();
  });

  test("declares bearer auth when tokens are configured, and none on the probes", async () => {
    const { app } = await testApp({ options: { tokens: [{ name: "a", secret: "s", scopes: ["admin"] }] } });
    const doc = (await send(app, "GET", "/docs/json", undefined, { authorization: "Bearer s" })).json();
    expect(doc.security).toEqual([{ bearer: [] }]);
    expect(doc.components.securitySchemes.bearer).toEqual({ type: "http", scheme: "bearer" });
    expect(doc.paths["/healthz"].get.security).toEqual([]);
  });

  test("serves Swagger UI at /docs", async () => {
    const { app } = await testApp();
    const res = await send(app, "GET", "/docs");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/html/);
  });
});
