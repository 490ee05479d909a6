/**
 * Generation and rollout through references: OpenAI receives one self-contained schema (the bundled provider
 * form), and a rollout candidate with references is judged against stable in its bundled form.
 */
import { afterEach, describe, expect, test } from "vitest";
import { createTestServices, type Services } from "../../src/compose.js";
import { buildApp } from "../../src/http/app.js";
import { testConfig } from "../adapters/openai/helpers.js";
import { type FakeOpenAI, startFakeOpenAI } from "../helpers/fake-openai.js";
import { send } from "./helpers.js";

function money(currencies: string[]) {
  return {
    type: "object",
    properties: { amount: { type: "number" }, currency: { type: "string", enum: currencies } },
    required: ["amount", "currency"],
    additionalProperties: false,
  };
}
const ORDER = {
  type: "object",
  properties: { total: { $ref: "money.json" } },
  required: ["total"],
  additionalProperties: false,
};
const refsTo = (version: number) => [{ name: "money.json", subject: "money", version }];

let services: Services | undefined;
let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await services?.close();
  await fake?.close();
  services = undefined;
  fake = undefined;
});

describe("generation and rollout through references", () => {
  test("generate sends OpenAI the bundled schema and validates the answer with it", async () => {
    fake = await startFakeOpenAI({ defaultOutput: { total: { amount: 3, currency: "EUR" } } });
    services = createTestServices({ openai: testConfig(fake) });
    const app = await buildApp({ ...services, logger: false });
    try {
      await services.registry.register("money", money(["EUR", "USD"]));
      await services.registry.register("order", ORDER, { references: refsTo(1) });
      const res = await send(app, "POST", "/subjects/order/generate", { input: "3 euros" });
      expect(res.json()).toMatchObject({ ok: true, data: { total: { amount: 3, currency: "EUR" } } });
      const sent = fake.requests[0]?.body as { text: { format: { schema: unknown } } } | undefined;
      const format = sent?.text.format;
      expect(format).toBeDefined();
      expect(format?.schema).toEqual({
        ...ORDER,
        properties: { total: { $ref: "#/$defs/money_v1" } },
        $defs: { money_v1: money(["EUR", "USD"]) },
      });
    } finally {
      await app.close();
    }
  });

  test("a rollout candidate with references is checked against stable in its bundled form", async () => {
    services = createTestServices();
    const app = await buildApp({ ...services, logger: false });
    try {
      await services.registry.setConfig("money", { compatibility: "NONE" });
      await services.registry.register("money", money(["EUR", "USD"]));
      await services.registry.register("money", money(["EUR"]));
      await services.registry.setConfig("order", { compatibility: "NONE" });
      await services.registry.register("order", ORDER, { references: refsTo(1) });
      await services.registry.register("order", ORDER, { references: refsTo(2) });
      // v2 narrows the enum through its reference: incompatible with stable v1 under BACKWARD.
      await services.registry.setConfig("order", { compatibility: "BACKWARD" });
      const res = await send(app, "PUT", "/subjects/order/rollout", { candidate: 2, stable: 1, percent: 10 });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: "SR_ROLLOUT_INCOMPATIBLE" });
      await services.registry.setConfig("order", { compatibility: "FORWARD" });
      const ok = await send(app, "PUT", "/subjects/order/rollout", { candidate: 2, stable: 1, percent: 10 });
      expect(ok.statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
