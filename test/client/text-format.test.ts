import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createValidatingClient, type ValidatingClient } from "../../src/client/validating-client.js";
import { startTestRegistry, type TestRegistry } from "../cli/registry-server.js";
import { type FakeOpenAI, startFakeOpenAI } from "../helpers/fake-openai.js";

const V1 = {
  type: "object",
  "x-owner": "billing",
  properties: { total: { type: "number" }, currency: { type: "string", enum: ["EUR", "USD"] } },
  required: ["total", "currency"],
  additionalProperties: false,
};
const V2 = {
  ...V1,
  properties: { ...V1.properties, note: { type: ["string", "null"], default: null } },
  required: [...V1.required, "note"],
};

let server: TestRegistry;
let fake: FakeOpenAI;
let client: ValidatingClient;
let openai: OpenAI;

beforeAll(async () => {
  server = await startTestRegistry();
  await server.registry.register("invoice", V1 as never);
  await server.registry.register("invoice", V2 as never);
  fake = await startFakeOpenAI();
  client = createValidatingClient({ url: server.url });
  openai = new OpenAI({ apiKey: fake.apiKey, baseURL: fake.baseURL, maxRetries: 0 });
});

afterAll(async () => {
  await client.close();
  await fake.close();
  await server.close();
});

describe("textFormat and parseResponse on the validating client", () => {
  test("the format is the latest version's provider schema, strict, named after subject and version", async () => {
    const { format, version } = await client.textFormat("invoice");
    expect(version).toBe(2);
    expect(format).toMatchObject({ type: "json_schema", name: "invoice_v2", strict: true });
    expect(format.schema).not.toHaveProperty("x-owner");
    expect(JSON.stringify(format.schema)).not.toContain('"default"');
    expect((await client.textFormat("invoice", { version: 1 })).format.name).toBe("invoice_v1");
  });

  test("a real SDK call with the format, parsed against the same version, validates", async () => {
    const { format, version } = await client.textFormat("invoice", { version: 1, key: "u1" });
    fake.script({ kind: "ok", output: { total: 5, currency: "USD" } });
    const response = await openai.responses.create({ model: "gpt-4.1-mini", input: "x", text: { format } });
    expect(fake.requests.at(-1)?.body.text).toEqual({ format });
    const outcome = await client.parseResponse("invoice", response, { version, key: "u1" });
    expect(outcome).toMatchObject({
      ok: true,
      version: 1,
      resolution: "pinned",
      data: { total: 5, currency: "USD" },
    });
  });

  test.each([
    ["refusal", { kind: "refusal" } as const],
    ["incomplete", { kind: "incomplete", text: '{"total": 5, "curr' } as const],
  ])("a %s response parses to a typed failure", async (reason, step) => {
    const { format, version } = await client.textFormat("invoice");
    fake.script(step);
    const response = await openai.responses.create({ model: "gpt-4.1-mini", input: "x", text: { format } });
    expect(await client.parseResponse("invoice", response, { version })).toMatchObject({ ok: false, reason });
  });

  test("an unknown subject is SR_SUBJECT_NOT_FOUND", async () => {
    await expect(client.textFormat("nope")).rejects.toMatchObject({ code: "SR_SUBJECT_NOT_FOUND" });
  });
});
