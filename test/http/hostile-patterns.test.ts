/**
 * Regression: a schema's regular expression once ran on the backtracking RegExp. A patternProperties key with
 * overlapping alternatives, sent to a read-scope compatibility check, was matched against the stored property
 * names during the diff and never returned; a registered catastrophic `pattern` did the same on validate.
 * Both now run on RE2 and answer at once (before the fix, each of these tests hung).
 */
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createTestServices, type Services } from "../../src/compose.js";
import { buildApp } from "../../src/http/app.js";
import {
  invoiceWithPurchaseOrder,
  NESTED,
  OVERLAPPING,
  shippedInvoiceVersions,
} from "../fixtures/hostile-patterns.js";
import { send } from "./helpers.js";

let services: Services;
let app: Awaited<ReturnType<typeof buildApp>>;
beforeEach(async () => {
  services = createTestServices();
  app = await buildApp({ ...services, logger: false });
  for (const text of [...shippedInvoiceVersions(), invoiceWithPurchaseOrder()]) {
    await services.registry.register("invoice-extraction", text);
  }
});
afterEach(async () => {
  await app.close();
  await services.close();
});

describe("a schema's regular expressions run in linear time", () => {
  test("the reviewer's compatibility request answers with a typed verdict", async () => {
    const schema = JSON.stringify({ type: "object", patternProperties: { [OVERLAPPING]: {} } });
    const url = "/compatibility/subjects/invoice-extraction/versions/latest";
    const res = await send(app, "POST", `${url}?verbose=true`, { schema });
    expect(res.statusCode).toBe(200);
    // Every stored property is removed, and none matches the pattern (no `-`): not covered, incompatible.
    expect(res.json()).toMatchObject({ is_compatible: false, messages: expect.any(Array) });
    expect(JSON.stringify(res.json())).toContain("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL");
  });

  test("a registered catastrophic pattern validates a 30 KB adversarial string promptly", async () => {
    const schema = {
      type: "object",
      properties: { code: { type: "string", pattern: NESTED } },
      required: ["code"],
      additionalProperties: false,
    };
    expect((await services.registry.register("codes", schema)).version).toBe(1);
    const output = JSON.stringify({ code: `${"a".repeat(30_000)}!` });
    const res = await send(app, "POST", "/subjects/codes/validate", { output });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      code: "SR_OUTPUT_REJECTED",
      issues: [{ code: "pattern_mismatch", path: "/code", pattern: NESTED }],
    });
    const ok = await send(app, "POST", "/subjects/codes/validate", { output: '{"code":"aaaa"}' });
    expect(ok.json()).toMatchObject({ ok: true, data: { code: "aaaa" } });
  });

  test("a pattern RE2 cannot run is refused on every route that takes a schema, naming its path", async () => {
    const schema = JSON.stringify({
      type: "object",
      properties: { a: { type: "string", pattern: "(a)\\1" } },
    });
    for (const url of [
      "/subjects/invoice-extraction/versions",
      "/compatibility/subjects/invoice-extraction/versions/latest",
      "/subjects/invoice-extraction",
    ]) {
      const res = await send(app, "POST", url, { schema });
      expect(res.statusCode, url).toBe(422);
      expect(res.json(), url).toMatchObject({ code: "SR_UNSAFE_PATTERN", error_code: 42201 });
      expect(res.json().message, url).toContain("/properties/a/pattern");
    }
  });

  test("a version stored by an earlier release with a pattern RE2 cannot run answers a typed 422", async () => {
    // Written to the store directly, as an earlier release (which accepted lookaheads) would have.
    const text = JSON.stringify({
      type: "object",
      properties: { a: { type: "string", pattern: "^(?=a)a+$" } },
    });
    await services.store.register({ subject: "legacy", fingerprint: "f".repeat(64), schema: text }, () => {});
    const res = await send(app, "POST", "/subjects/legacy/validate", { output: '{"a":"aa"}' });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: "SR_INVALID_SCHEMA" });
    expect(res.json().message).toContain("cannot run in linear time");
  });
});
