/**
 * Both Confluent JavaScript clients against a real structreg server (in-process, on 127.0.0.1): a shared schema
 * and a schema referencing it are registered through the client, read back unchanged (text and references),
 * and structreg validates outputs against the referencing schema. The kafkajs client also encodes and decodes a
 * message with it (its JSON support compiles the referenced schemas it fetched, by their `$id`).
 */
import { SchemaRegistryClient } from "@confluentinc/schemaregistry";
import { SchemaRegistry, SchemaType } from "@kafkajs/confluent-schema-registry";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createTestServices, type Services } from "../../src/compose.js";
import { buildApp } from "../../src/http/app.js";
import { send } from "./helpers.js";

const MONEY_ID = "https://schemas.example.com/money.json";

/** The shared schema: names itself by its `$id`, which is also its reference name (what kafkajs needs). */
const MONEY = JSON.stringify({
  $id: MONEY_ID,
  type: "object",
  properties: { value: { type: "number" }, currency: { type: "string", enum: ["EUR", "USD"] } },
  required: ["value", "currency"],
  additionalProperties: false,
});

function invoiceSchema(subject: string): string {
  return JSON.stringify({
    $id: `https://schemas.example.com/${subject}.json`,
    type: "object",
    properties: { number: { type: "string" }, total: { $ref: MONEY_ID } },
    required: ["number", "total"],
    additionalProperties: false,
  });
}

/** The part of the kafkajs client's mappersmith API this test reads through. */
interface KafkajsApi {
  Subject: { version(p: { subject: string; version: number }): Promise<{ data(): unknown }> };
  Schema: { find(p: { id: number }): Promise<{ data(): unknown }> };
}

const INVOICE = { number: "F-7", total: { value: 99.5, currency: "EUR" } };

let services: Services;
let app: FastifyInstance;
let url: string;
beforeAll(async () => {
  services = createTestServices();
  app = await buildApp({ ...services, logger: false });
  url = await app.listen({ host: "127.0.0.1", port: 0 });
});
afterAll(async () => {
  await app.close();
  await services.close();
});

describe("Confluent JavaScript clients register and fetch schemas with references", () => {
  test("@kafkajs/confluent-schema-registry: register, fetch unchanged, encode and decode", async () => {
    const registry = new SchemaRegistry({ host: url });
    const shared = await registry.register({ type: SchemaType.JSON, schema: MONEY }, { subject: "kj-money" });
    const references = [{ name: MONEY_ID, subject: "kj-money", version: 1 }];
    const schema = invoiceSchema("kj-invoice");
    const { id } = await registry.register(
      { type: SchemaType.JSON, schema, references },
      { subject: "kj-invoice" },
    );
    expect(id).not.toBe(shared.id);
    // What the client reads back is exactly what it sent. Its typed surface hands out compiled schemas only, so
    // the raw answers are read through its own (TypeScript-private) mappersmith API, the calls it makes itself.
    const { api } = registry as unknown as { api: KafkajsApi };
    const read = (await api.Subject.version({ subject: "kj-invoice", version: 1 })).data();
    expect(read).toMatchObject({ id, schema, references, schemaType: "JSON" });
    expect((await api.Schema.find({ id })).data()).toMatchObject({ schema, references });
    // A fresh client (empty cache) fetches by id, follows the references and checks messages with them.
    const consumer = new SchemaRegistry({ host: url });
    const encoded = await registry.encode(id, INVOICE);
    expect(await consumer.decode(encoded)).toEqual(INVOICE);
    await expect(
      registry.encode(id, { number: "F-8", total: { value: 1, currency: "GBP" } }),
    ).rejects.toThrow();
    // structreg validates model outputs against the same registration.
    const outcome = await send(app, "POST", "/subjects/kj-invoice/validate", {
      output: JSON.stringify(INVOICE),
    });
    expect(outcome.json()).toMatchObject({ ok: true, track: "strict", data: INVOICE });
  });

  test("@confluentinc/schemaregistry: register, fetch by id and by version unchanged", async () => {
    const client = new SchemaRegistryClient({ baseURLs: [url] });
    const sharedId = await client.register("cf-money", { schemaType: "JSON", schema: MONEY });
    const references = [{ name: MONEY_ID, subject: "cf-money", version: 1 }];
    const schema = invoiceSchema("cf-invoice");
    const id = await client.register("cf-invoice", { schemaType: "JSON", schema, references });
    expect(id).not.toBe(sharedId);
    expect(await client.getBySubjectAndId("cf-invoice", id)).toMatchObject({ schema, references });
    expect(await client.getSchemaMetadata("cf-invoice", 1)).toMatchObject({
      id,
      version: 1,
      schema,
      references,
    });
    expect(await client.getLatestSchemaMetadata("cf-money")).toMatchObject({ id: sharedId, schema: MONEY });
    // Lookup (POST /subjects/{s}) finds it only with its references.
    expect(await client.getId("cf-invoice", { schemaType: "JSON", schema, references })).toBe(id);
    expect(await client.getVersion("cf-invoice", { schemaType: "JSON", schema, references })).toBe(1);
    const outcome = await send(app, "POST", "/subjects/cf-invoice/validate", {
      output: JSON.stringify(INVOICE),
    });
    expect(outcome.json()).toMatchObject({ ok: true, data: INVOICE });
  });
});
