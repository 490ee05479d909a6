import type { FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createTestServices, type Services } from "../../src/compose.js";
import { buildApp } from "../../src/http/app.js";
import { send } from "./helpers.js";

/** A shared definition, as Confluent users write one: a document with $defs. */
const MONEY = JSON.stringify({
  $defs: {
    Amount: {
      type: "object",
      properties: { value: { type: "number" }, currency: { type: "string", enum: ["EUR", "USD"] } },
      required: ["value", "currency"],
      additionalProperties: false,
    },
  },
  type: "object",
  properties: { total: { $ref: "#/$defs/Amount" } },
  required: ["total"],
  additionalProperties: false,
});

/** A schema using the shared one twice: the whole document, and a fragment into it. */
const INVOICE = JSON.stringify({
  type: "object",
  properties: {
    number: { type: "string" },
    amount: { $ref: "money.json#/$defs/Amount" },
    summary: { $ref: "money.json" },
  },
  required: ["number", "amount", "summary"],
  additionalProperties: false,
});

const REFS = [{ name: "money.json", subject: "money", version: 1 }];

let services: Services;
let app: FastifyInstance;
beforeEach(async () => {
  services = createTestServices();
  app = await buildApp({ ...services, logger: false });
  expect((await send(app, "POST", "/subjects/money/versions", { schema: MONEY })).json()).toMatchObject({
    id: 1,
  });
});
afterEach(async () => {
  await app.close();
  await services.close();
});

describe("schema references over HTTP", () => {
  test("register a schema with references and read it back unchanged", async () => {
    const registered = await send(app, "POST", "/subjects/invoice/versions", {
      schema: INVOICE,
      references: REFS,
    });
    expect(registered.statusCode).toBe(200);
    expect(registered.json()).toMatchObject({ id: 2, version: 1 });
    const version = (await send(app, "GET", "/subjects/invoice/versions/1")).json();
    expect(version).toMatchObject({
      subject: "invoice",
      version: 1,
      id: 2,
      schema: INVOICE,
      references: REFS,
    });
    expect((await send(app, "GET", "/schemas/ids/2")).json()).toMatchObject({
      schema: INVOICE,
      references: REFS,
    });
    // Confluent omits an empty list.
    expect((await send(app, "GET", "/subjects/money/versions/1")).json()).not.toHaveProperty("references");
    expect((await send(app, "GET", "/schemas/ids/1")).json()).not.toHaveProperty("references");
  });

  test("identity includes references: same text, same references → same id; lookup needs them", async () => {
    await send(app, "POST", "/subjects/invoice/versions", { schema: INVOICE, references: REFS });
    const again = await send(app, "POST", "/subjects/other/versions", { schema: INVOICE, references: REFS });
    expect(again.json()).toMatchObject({ id: 2 });
    const found = await send(app, "POST", "/subjects/invoice", { schema: INVOICE, references: REFS });
    expect(found.json()).toMatchObject({ id: 2, version: 1, references: REFS });
    // Without references the $ref names nothing: refused, typed.
    const bare = await send(app, "POST", "/subjects/invoice", { schema: INVOICE });
    expect(bare.statusCode).toBe(422);
    expect(bare.json()).toMatchObject({ code: "SR_REMOTE_REF", error_code: 42201 });
  });

  test("version -1 resolves to the latest version and is stored resolved", async () => {
    const body = { schema: INVOICE, references: [{ name: "money.json", subject: "money", version: -1 }] };
    expect((await send(app, "POST", "/subjects/invoice/versions", body)).statusCode).toBe(200);
    expect((await send(app, "GET", "/subjects/invoice/versions/latest")).json().references).toEqual(REFS);
  });

  test("referencedby lists the ids referencing a version; deletes of it are refused with 42206", async () => {
    await send(app, "POST", "/subjects/invoice/versions", { schema: INVOICE, references: REFS });
    expect((await send(app, "GET", "/subjects/money/versions/1/referencedby")).json()).toEqual([2]);
    for (const url of ["/subjects/money/versions/1", "/subjects/money"]) {
      const refused = await send(app, "DELETE", url);
      expect(refused.statusCode).toBe(422);
      expect(refused.json()).toMatchObject({ error_code: 42206, code: "SR_REFERENCE_EXISTS" });
    }
    // Once the referrer is soft deleted, the referenced version may go (as in Confluent).
    expect((await send(app, "DELETE", "/subjects/invoice/versions/1")).statusCode).toBe(200);
    expect((await send(app, "GET", "/subjects/money/versions/1/referencedby")).json()).toEqual([]);
    expect((await send(app, "DELETE", "/subjects/money/versions/1")).statusCode).toBe(200);
    // A permanent delete stays refused while the soft-deleted referrer can still be read by id.
    const permanent = await send(app, "DELETE", "/subjects/money/versions/1?permanent=true");
    expect(permanent.json()).toMatchObject({ code: "SR_REFERENCE_EXISTS" });
  });

  test("missing, malformed and unlisted references are typed 422s", async () => {
    const cases: Array<[unknown, string]> = [
      [[{ name: "money.json", subject: "money", version: 9 }], "SR_REFERENCE_NOT_FOUND"],
      [[{ name: "money.json", subject: "nobody", version: 1 }], "SR_REFERENCE_NOT_FOUND"],
      [
        [
          { name: "money.json", subject: "money", version: -1 },
          { name: "money.json", subject: "money", version: 1 },
        ],
        "SR_INVALID_REFERENCE",
      ],
      [[{ name: "money.json", subject: "money", version: 0 }], "SR_INVALID_REFERENCE"],
      [[{ name: "other.json", subject: "money", version: 1 }], "SR_REMOTE_REF"],
    ];
    for (const [references, code] of cases) {
      const answer = await send(app, "POST", "/subjects/invoice/versions", { schema: INVOICE, references });
      expect(answer.statusCode, code).toBe(422);
      expect(answer.json(), code).toMatchObject({ code });
    }
    const badFragment = JSON.stringify({
      type: "object",
      properties: { a: { $ref: "money.json#/$defs/Nope" } },
      required: ["a"],
      additionalProperties: false,
    });
    const answer = await send(app, "POST", "/subjects/invoice/versions", {
      schema: badFragment,
      references: REFS,
    });
    expect(answer.json()).toMatchObject({ code: "SR_INVALID_REFERENCE" });
  });

  test("validate-and-parse works through references, strict and tolerant tracks", async () => {
    await send(app, "POST", "/subjects/invoice/versions", { schema: INVOICE, references: REFS });
    const good = {
      number: "F-1",
      amount: { value: 12.5, currency: "EUR" },
      summary: { total: { value: 12.5, currency: "EUR" } },
    };
    const strict = (
      await send(app, "POST", "/subjects/invoice/validate", { output: JSON.stringify(good) })
    ).json();
    expect(strict).toMatchObject({ ok: true, track: "strict", data: good });
    const drifted = JSON.stringify({ ...good, amount: { value: "12.5", currency: "eur" } });
    const tolerant = (
      await send(app, "POST", "/subjects/invoice/validate", { output: `\`\`\`json\n${drifted}\n\`\`\`` })
    ).json();
    expect(tolerant).toMatchObject({ ok: true, track: "tolerant", data: good });
    const bad = await send(app, "POST", "/subjects/invoice/validate", {
      output: JSON.stringify({ ...good, amount: { value: 1, currency: "GBP" } }),
    });
    expect(bad.statusCode).toBe(422);
  });

  test("the provider form is one self-contained schema", async () => {
    await send(app, "POST", "/subjects/invoice/versions", { schema: INVOICE, references: REFS });
    const provider = (await send(app, "GET", "/subjects/invoice/versions/1/provider")).json();
    expect(provider.properties.amount).toEqual({ $ref: "#/$defs/money_v1/$defs/Amount" });
    expect(provider.properties.summary).toEqual({ $ref: "#/$defs/money_v1" });
    expect(provider.$defs.money_v1.properties.total).toEqual({ $ref: "#/$defs/money_v1/$defs/Amount" });
    expect(JSON.stringify(provider)).not.toContain("money.json");
  });
});
