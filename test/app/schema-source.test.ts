import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadSchemaSource } from "../../src/app/schema-source.js";
import { isStructregError } from "../../src/core/errors.js";
import { analyzeSchema } from "../../src/core/schema/analyze.js";
import { lintSchema } from "../../src/core/schema/lint.js";
import { compileSchema } from "../../src/core/validate/ajv.js";

const FIXTURES = join(import.meta.dirname, "..", "fixtures", "zod");
const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");
const VALID_TICKET = {
  title: "Printer on fire",
  priority: "high",
  assignee: null,
  tags: ["hardware"],
  customer: { id: "c1", email: "a@example.com" },
};

describe("loadSchemaSource from Zod modules", () => {
  test.each([
    ["zod 4", "ticket-v4.ts#Ticket"],
    ["zod 4 (default export)", "ticket-v4.ts"],
    ["zod 3", "ticket-v3.ts#Ticket"],
  ])("converts a %s schema into one that passes openai-strict lint", async (_label, spec) => {
    const schema = await loadSchemaSource(spec, { cwd: FIXTURES });
    expect(lintSchema(schema, "openai-strict")).toEqual([]);
    expect(analyzeSchema(schema, { profile: "openai-strict", sha256 })).toMatchObject({ ok: true, lint: [] });
    expect(schema).toMatchObject({ type: "object", additionalProperties: false });
    expect(schema).not.toHaveProperty("$schema");
    const validate = compileSchema(schema);
    expect(validate(VALID_TICKET)).toBe(true);
    expect(validate({ ...VALID_TICKET, priority: "urgent" })).toBe(false);
  });

  test("drops the pattern Zod 4 writes beside a format, keeping the format", async () => {
    const schema = await loadSchemaSource("ticket-v4.ts#Ticket", { cwd: FIXTURES });
    const email = (schema as { properties: { customer: { properties: { email: unknown } } } }).properties
      .customer.properties.email;
    expect(email).toEqual({ anyOf: [{ type: "string", format: "email" }, { type: "null" }] });
  });

  test("keeps an optional (non-nullable) Zod field optional, so lint reports it", async () => {
    const schema = await loadSchemaSource(join(FIXTURES, "ticket-v4.ts#LooseTicket"));
    const codes = lintSchema(schema, "openai-strict").map((p) => p.code);
    expect(codes).toEqual(["OPENAI_NOT_REQUIRED"]);
  });

  test("loads a plain JSON Schema exported by a JavaScript module", async () => {
    const schema = await loadSchemaSource("plain-schema.mjs", { cwd: FIXTURES });
    expect(schema).toEqual({
      type: "object",
      properties: { answer: { type: "string" } },
      required: ["answer"],
      additionalProperties: false,
    });
  });
});

describe("loadSchemaSource from JSON files", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "structreg-source-"));
    await writeFile(join(dir, "ok.json"), '{"type": "string"}');
    await writeFile(join(dir, "bad.json"), '{"type": ');
    await writeFile(join(dir, "array.json"), "[1, 2]");
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("reads a .json file relative to cwd", async () => {
    await expect(loadSchemaSource("ok.json", { cwd: dir })).resolves.toEqual({ type: "string" });
  });

  test.each([
    ["a missing file", "missing.json", /Cannot read/],
    ["invalid JSON", "bad.json", /not valid JSON/],
    ["JSON that is not a schema", "array.json", /must hold a JSON Schema/],
    ["an export name on a .json file", "ok.json#Thing", /drop the "#Thing" part/],
    ["an unknown file kind", "schema.yaml", /use a \.json file or a module/],
  ])("refuses %s with SR_SCHEMA_SOURCE", async (_label, spec, message) => {
    const err = await loadSchemaSource(spec, { cwd: dir }).catch((e: unknown) => e);
    expect(isStructregError(err) && err.code).toBe("SR_SCHEMA_SOURCE");
    expect((err as Error).message).toMatch(message);
  });
});

describe("loadSchemaSource failures from modules", () => {
  test.each([
    ["a missing export, listing the exports", "ticket-v4.ts#Nope", /no export "Nope" \(exports: .*Ticket/],
    ["an export that is not a schema", "ticket-v4.ts#notASchema", /not a Zod schema or a JSON Schema/],
    ["a module that throws on import", "throws.ts#X", /Cannot import .*fixture module refuses to load/],
    ["a missing module", "nowhere.ts#X", /Cannot import/],
    ["a module without a default export", "ticket-v3.ts", /no export "default"/],
  ])("refuses %s with SR_SCHEMA_SOURCE", async (_label, spec, message) => {
    const err = await loadSchemaSource(spec, { cwd: FIXTURES }).catch((e: unknown) => e);
    expect(isStructregError(err) && err.code).toBe("SR_SCHEMA_SOURCE");
    expect((err as Error).message).toMatch(message);
  });
});
