import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createValidatingClient } from "../../src/client/validating-client.js";
import { startTestRegistry, type TestRegistry } from "../cli/registry-server.js";

const ADDRESS = {
  $defs: {
    Country: { type: "string", enum: ["FR", "DE", "US"] },
  },
  type: "object",
  properties: { city: { type: "string" }, country: { $ref: "#/$defs/Country" } },
  required: ["city", "country"],
  additionalProperties: false,
};

const ORDER = {
  type: "object",
  properties: {
    ship: { $ref: "address.json" },
    country: { $ref: "address.json#/$defs/Country" },
  },
  required: ["ship", "country"],
  additionalProperties: false,
};

let server: TestRegistry;
beforeAll(async () => {
  server = await startTestRegistry();
  await server.registry.register("address", ADDRESS);
  await server.registry.register("order", ORDER, {
    references: [{ name: "address.json", subject: "address", version: 1 }],
  });
});
afterAll(async () => {
  await server.close();
});

describe("the validating client with a subject that has references", () => {
  test("fetches the referenced versions, bundles them and validates in-process (strict and tolerant)", async () => {
    const client = createValidatingClient({ url: server.url, randomKey: () => "k" });
    const good = { ship: { city: "Lyon", country: "FR" }, country: "DE" };
    expect(await client.validate("order", JSON.stringify(good))).toMatchObject({ ok: true, track: "strict" });
    const drifted = '{"ship": {"city": "Lyon", "country": "fr"}, "country": " de "}';
    expect(await client.validate("order", drifted)).toMatchObject({
      ok: true,
      track: "tolerant",
      data: good,
    });
    expect(
      await client.validate("order", '{"ship": {"city": "Lyon", "country": "XX"}, "country": "DE"}'),
    ).toMatchObject({
      ok: false,
    });
  });

  test("textFormat hands OpenAI one self-contained schema, the same as the server's provider form", async () => {
    const client = createValidatingClient({ url: server.url, randomKey: () => "k" });
    const { format } = await client.textFormat("order");
    expect(JSON.stringify(format.schema)).not.toContain("address.json");
    expect(format.schema).toEqual(await server.registry.getProviderSchema("order", 1));
  });
});
