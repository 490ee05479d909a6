import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Services } from "../../src/compose.js";
import { FIXTURE_SCHEMAS } from "./fixture.js";
import { CONSOLE_POST, consoleApp } from "./helpers.js";

const HOSTILE = '<script>alert(1)</script> "><img src=x onerror=alert(2)>';

describe("console pages", () => {
  let app: FastifyInstance;
  let services: Services;

  beforeAll(async () => {
    ({ app, services } = await consoleApp());
    await services.validation.validate("invoice", `${HOSTILE} {"total": "lots"}`);
    await services.registry.register("notes", {
      type: "object",
      description: `</code>${HOSTILE}`,
      properties: { text: { type: "string" } },
      required: ["text"],
      additionalProperties: false,
    });
  });
  afterAll(async () => {
    await app.close();
    await services.close();
  });

  test.each([
    "/ui/",
    "/ui/subjects/invoice",
    "/ui/subjects/invoice/diff",
    "/ui/subjects/invoice/rollout",
    "/ui/subjects/invoice/rollout/live",
    "/ui/subjects/invoice/bad-cases",
    "/ui/bad-cases/1",
    "/ui/check",
    "/ui/playground",
    "/ui/subjects/invoice/timeline",
    "/ui/settings",
  ])("GET %s answers HTML with a strict CSP", async (url) => {
    const response = await app.inject({ url });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("text/html; charset=utf-8");
    const csp = String(response.headers["content-security-policy"]);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
    expect(response.body).not.toMatch(/<script(?![^>]*\bsrc=)/);
  });

  test("unknown console pages and assets answer with the CSP too", async () => {
    for (const url of ["/ui/nope", "/ui/assets/missing.js"]) {
      const response = await app.inject({ url });
      expect(response.statusCode).toBe(404);
      expect(String(response.headers["content-security-policy"])).toContain("default-src 'self'");
    }
  });

  test("assets are content-hashed and cached as immutable", async () => {
    const page = (await app.inject({ url: "/ui/" })).body;
    const src = /src="(\/ui\/assets\/htmx\.[0-9a-f]{12}\.js)"/.exec(page)?.[1];
    expect(src).toBeDefined();
    const asset = await app.inject({ url: src as string });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers["cache-control"]).toContain("immutable");
    expect(asset.headers["content-type"]).toContain("text/javascript");
  });

  test("a browser asking for / is sent to the console; JSON clients still get {}", async () => {
    const browser = await app.inject({
      url: "/",
      headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" },
    });
    expect(browser.statusCode).toBe(302);
    expect(browser.headers.location).toBe("/ui/");
    for (const accept of [
      undefined,
      "application/json",
      "application/vnd.schemaregistry.v1+json, text/html",
    ]) {
      const client = await app.inject({ url: "/", headers: accept === undefined ? {} : { accept } });
      expect(client.statusCode).toBe(200);
      expect(client.json()).toEqual({});
    }
  });

  test("model output is shown as text, never as markup", async () => {
    const page = (await app.inject({ url: "/ui/bad-cases/1" })).body;
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(page).toContain("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;");
    expect(page).not.toContain("<script>alert");
    expect(page).not.toContain("<img src=x");
  });

  test("schema text is escaped on the subject and check views", async () => {
    for (const url of ["/ui/subjects/notes", "/ui/check?subject=notes"]) {
      const page = (await app.inject({ url })).body;
      expect(page).not.toContain("<img src=x");
      expect(page).not.toContain("</code><script>");
      expect(page).toContain("&lt;img src=x onerror=alert(2)&gt;");
    }
  });

  test("an API error shows its SR_ code, message and hint", async () => {
    const page = await app.inject({ url: "/ui/subjects/nope" });
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain("SR_SUBJECT_NOT_FOUND");
    const fragment = await app.inject({
      method: "POST",
      url: "/ui/check",
      headers: CONSOLE_POST,
      payload: { subject: "invoice", schema: "{not json" },
    });
    expect(fragment.statusCode).toBe(422);
    expect(fragment.headers["hx-retarget"]).toBe("#flash");
    expect(fragment.body).toContain("SR_INVALID_SCHEMA");
    expect(fragment.body).toContain("Hint:");
  });

  test("state changes without the console header, or from another origin, are refused", async () => {
    const url = "/ui/subjects/invoice/rollout/rollback";
    const noHeader = await app.inject({
      method: "POST",
      url,
      headers: { "content-type": "application/json" },
      payload: {},
    });
    expect(noHeader.statusCode).toBe(403);
    expect(noHeader.body).toContain("SR_FORBIDDEN");
    const crossSite = await app.inject({
      method: "POST",
      url,
      headers: { ...CONSOLE_POST, origin: "https://evil.example", host: "127.0.0.1:8080" },
      payload: {},
    });
    expect(crossSite.statusCode).toBe(403);
    for (const origin of ["null", "not a url"]) {
      const odd = await app.inject({
        method: "POST",
        url,
        headers: { ...CONSOLE_POST, origin, host: "h" },
        payload: {},
      });
      expect(odd.statusCode).toBe(403);
    }
    const form = await app.inject({
      method: "POST",
      url,
      headers: { "content-type": "application/x-www-form-urlencoded", "x-structreg-request": "console" },
      payload: "reason=x",
    });
    expect(form.statusCode).toBe(415);
  });

  test("checks a draft, names the version it would get, then registers it", async () => {
    const schema = JSON.stringify({
      type: "object",
      properties: { a: { type: "string" } },
      required: ["a"],
      additionalProperties: false,
    });
    const check = await app.inject({
      method: "POST",
      url: "/ui/check",
      headers: CONSOLE_POST,
      payload: { subject: "fresh", schema },
    });
    expect(check.statusCode).toBe(200);
    expect(check.body).toContain("it would become <strong>fresh v1</strong>");
    const register = await app.inject({
      method: "POST",
      url: "/ui/register",
      headers: CONSOLE_POST,
      payload: { subject: "fresh", schema },
    });
    expect(register.statusCode).toBe(204);
    expect(register.headers["hx-redirect"]).toBe("/ui/subjects/fresh?version=1");
    expect(await services.registry.listVersions("fresh")).toEqual([1]);
  });

  test("evidence: the draft replays the subject's bad cases and accepted outputs without resolving any", async () => {
    const wide = structuredClone(FIXTURE_SCHEMAS.V3) as { properties: { currency: { enum: string[] } } };
    wide.properties.currency.enum.push("JPY");
    // Two accepted outputs: one the draft accepts as is, one it rejects (the draft requires `note`).
    await services.validation.validate("invoice", '{"total": 1, "currency": "EUR", "note": null}', {
      version: 3,
    });
    await services.validation.validate("invoice", '{"total": 2, "currency": "USD"}', { version: 2 });
    await services.acceptedSamples?.flush();
    const before = await services.quarantine.counts();
    const response = await app.inject({
      method: "POST",
      url: "/ui/check/evidence",
      headers: CONSOLE_POST,
      payload: { subject: "invoice", schema: JSON.stringify(wide) },
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain("Evidence: recent outputs of");
    expect(response.body).toMatch(/Quarantined \(\d+\)/);
    expect(response.body).toContain("Accepted (2)");
    expect(response.body).toContain('data-evidence="accepted-accept">1<');
    expect(response.body).toMatch(/data-evidence="accepted-(repair|reject)">1</);
    expect(await services.quarantine.counts()).toEqual(before);
  });

  test("a ramp needs a reason; a rollback does not", async () => {
    const url = "/ui/subjects/invoice/rollout";
    const noReason = await app.inject({
      method: "POST",
      url: `${url}/set`,
      headers: CONSOLE_POST,
      payload: { candidate: "3", percent: "10" },
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain("Give a reason");
    const ramp = await app.inject({
      method: "POST",
      url: `${url}/set`,
      headers: CONSOLE_POST,
      payload: { candidate: "3", percent: "10", reason: "canary", revision: "0" },
    });
    expect(ramp.statusCode).toBe(204);
    expect((await services.rollout.service.get("invoice")).percent).toBe(10);
    // The chart's history is sampled by the server (every 5 s) and served to the page and to scripts.
    for (let i = 0; i < 5; i++)
      await services.validation.validate("invoice", '{"total": 1}', { key: `k${i}` });
    const series = async () =>
      (await app.inject({ url: "/subjects/invoice/rollout/series" })).json() as { points: unknown[] };
    await expect.poll(async () => (await series()).points.length, { timeout: 20_000 }).toBeGreaterThan(0);
    const live = await app.inject({ url: `${url}/live`, headers: { "hx-request": "true" } });
    expect(live.body).toMatch(/data-series="\[\[\d+,/);
    const rollback = await app.inject({
      method: "POST",
      url: `${url}/rollback`,
      headers: CONSOLE_POST,
      payload: {},
    });
    expect(rollback.statusCode).toBe(204);
    expect((await services.rollout.service.get("invoice")).stage).toBe("rolled_back");
  });

  test("a stale revision is explained with the changes made in between", async () => {
    const current = await services.rollout.service.get("invoice");
    const stale = await app.inject({
      method: "POST",
      url: "/ui/subjects/invoice/rollout/set",
      headers: CONSOLE_POST,
      payload: { candidate: "3", percent: "5", reason: "again", revision: String(current.revision - 1) },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain("SR_ROLLOUT_CONFLICT");
    expect(stale.body).toContain(`revision ${current.revision}: <strong>rollback</strong> by console`);
  });

  test("the playground is a dry run: nothing is quarantined", async () => {
    const before = (await services.quarantine.counts()).find((c) => c.subject === "invoice")?.open;
    const result = await app.inject({
      method: "POST",
      url: "/ui/playground",
      headers: CONSOLE_POST,
      payload: { subject: "invoice", output: HOSTILE },
    });
    expect(result.statusCode).toBe(200);
    expect(result.body).toContain("Rejected");
    expect(result.body).not.toContain("<img src=x");
    const after = (await services.quarantine.counts()).find((c) => c.subject === "invoice")?.open;
    expect(after).toBe(before);
  });

  test("replays selected samples; malformed selections are refused, never a 500", async () => {
    const url = "/ui/subjects/invoice/bad-cases/replay";
    const ok = await app.inject({
      method: "POST",
      url,
      headers: CONSOLE_POST,
      payload: { ids: ["1"], version: "3" },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain("still failing (of 1)");
    for (const payload of [{ ids: "1" }, { ids: [{}] }, {}, { all: "yes" }]) {
      const bad = await app.inject({ method: "POST", url, headers: CONSOLE_POST, payload });
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain("SR_INVALID_REQUEST");
    }
  });

  test("the JSONL export is a download", async () => {
    const response = await app.inject({ url: "/ui/subjects/invoice/bad-cases/export?status=open" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-disposition"]).toBe('attachment; filename="invoice-bad-cases.jsonl"');
    expect(response.body.trim().split("\n").length).toBeGreaterThan(0);
  });
});
