import { readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, test } from "vitest";
import { createMemorySchemaStore } from "../../src/adapters/storage/memory-schema-store.js";
import { createRegistryService } from "../../src/app/registry.js";
import type { RegistryService } from "../../src/app/registry-types.js";
import { syncSchemasFolder } from "../../src/app/sync.js";
import { type ErrorCode, StructregError } from "../../src/core/errors.js";
import type { JsonObject } from "../../src/core/json.js";

const SCHEMAS_DIR = join(import.meta.dirname, "../../schemas");

function objectSchema(properties: Record<string, JsonObject>, extra: JsonObject = {}): JsonObject {
  return {
    type: "object",
    properties,
    required: Object.keys(properties),
    additionalProperties: false,
    ...extra,
  };
}

const V1 = objectSchema({ name: { type: "string" }, status: { type: "string", enum: ["open", "closed"] } });

async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<StructregError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(StructregError);
    expect((err as StructregError).code).toBe(code);
    return err as StructregError;
  }
  throw new Error(`expected ${code}, but the call succeeded`);
}

describe("registry service", () => {
  let registry: RegistryService;
  beforeEach(() => {
    registry = createRegistryService({ store: createMemorySchemaStore() });
  });

  test("registers version 1 and returns the same version and id for the same schema again", async () => {
    const first = await registry.register("ticket", V1);
    expect(first).toMatchObject({ version: 1, created: true });
    expect(first.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    const again = await registry.register("ticket", JSON.stringify(V1, null, 4));
    expect(again).toEqual({ ...first, created: false });
    expect(await registry.listVersions("ticket")).toEqual([1]);
  });

  test("key order and whitespace do not change the fingerprint", async () => {
    const a = await registry.register("a", V1);
    const reordered = Object.fromEntries(Object.entries(V1).reverse());
    const b = await registry.register("b", JSON.stringify(reordered));
    expect(b.fingerprint).toBe(a.fingerprint);
    expect(b.id).toBe(a.id);
    expect(await registry.getSubjectVersionsById(a.id)).toEqual([
      { subject: "a", version: 1 },
      { subject: "b", version: 1 },
    ]);
  });

  test("refuses a new required property without a default and says how to fix it", async () => {
    await registry.register("ticket", V1);
    const v2 = objectSchema({ ...(V1.properties as Record<string, JsonObject>), owner: { type: "string" } });
    const err = await expectCode(registry.register("ticket", v2), "SR_INCOMPATIBLE_SCHEMA");
    const differences = err.details?.differences as Array<{ kind: string; path: string; version: number }>;
    expect(differences).toContainEqual(
      expect.objectContaining({ kind: "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", version: 1 }),
    );
    expect(err.hint).toMatch(/default/);
    expect(await registry.listVersions("ticket")).toEqual([1]);
  });

  test("accepts a new required property with a default and an extended enum", async () => {
    await registry.register("ticket", V1);
    const v2 = objectSchema({
      name: { type: "string" },
      status: { type: "string", enum: ["open", "closed", "pending"] },
      owner: { type: "string", default: "unassigned" },
    });
    expect(await registry.register("ticket", v2)).toMatchObject({ version: 2, created: true });
  });

  test("refuses a schema that breaks OpenAI strict mode, and accepts it under the json-schema profile", async () => {
    const loose = { type: "object", properties: { a: { type: "string" } } };
    const err = await expectCode(registry.register("loose", loose), "SR_LINT_FAILED");
    expect(err.details?.lint as unknown[]).not.toHaveLength(0);
    await registry.setConfig("loose", { profile: "json-schema" });
    expect(await registry.register("loose", loose)).toMatchObject({ version: 1 });
  });

  test.each([
    ["an invalid subject name", "-bad", V1, "SR_INVALID_SUBJECT_NAME"],
    ["invalid JSON text", "x", "{nope", "SR_INVALID_SCHEMA"],
    ["a schema ajv cannot compile", "x", { type: 12 }, "SR_INVALID_SCHEMA"],
    [
      "a remote $ref",
      "x",
      { ...V1, properties: { a: { $ref: "https://evil.example/s.json" } } },
      "SR_REMOTE_REF",
    ],
    [
      "a pattern RE2 cannot run (a backreference)",
      "x",
      objectSchema({ a: { type: "string", pattern: "^(a+)\\1$" } }),
      "SR_UNSAFE_PATTERN",
    ],
  ] as const)("refuses %s", async (_name, subject, schema, code) => {
    await expectCode(registry.register(subject, schema as JsonObject | string), code);
  });

  test("refuses a 10,000-level nested schema with a typed error", async () => {
    const deep = `${'{"items":'.repeat(10_000)}{}${"}".repeat(10_000)}`;
    await expectCode(registry.register("deep", deep), "SR_SCHEMA_TOO_DEEP");
  });

  test("latest and compatibility checks skip DISABLED and soft-deleted versions", async () => {
    await registry.register("s", V1);
    const narrowed = objectSchema({ name: { type: "string" } });
    await registry.setConfig("s", { compatibility: "NONE" });
    await registry.register("s", narrowed);
    await registry.setVersionState("s", 2, "DISABLED");
    expect((await registry.getVersion("s", "latest")).version).toBe(1);
    await registry.setConfig("s", { compatibility: "BACKWARD" });
    // Compared with v1 only (v2 is disabled): adding a property with a default is fine.
    const v3 = objectSchema({
      ...(V1.properties as Record<string, JsonObject>),
      n: { type: "number", default: 0 },
    });
    expect((await registry.register("s", v3)).version).toBe(3);
    await registry.deleteVersion("s", 3);
    expect((await registry.getVersion("s", "latest")).version).toBe(1);
    await expectCode(registry.getVersion("s", 3), "SR_VERSION_NOT_FOUND");
    expect((await registry.getVersion("s", 3, { includeDeleted: true })).deleted).toBe(true);
  });

  test("permanent delete only after a soft delete", async () => {
    await registry.register("s", V1);
    await expectCode(registry.deleteVersion("s", 1, { permanent: true }), "SR_VERSION_NOT_SOFT_DELETED");
    expect(await registry.deleteVersion("s", 1)).toBe(1);
    expect(await registry.deleteVersion("s", 1, { permanent: true })).toBe(1);
    await expectCode(registry.getVersion("s", 1, { includeDeleted: true }), "SR_SUBJECT_NOT_FOUND");
  });

  test("transitive levels compare with every live version, others with the latest only", async () => {
    await registry.setConfig(null, { compatibility: "NONE" });
    await registry.register("t", objectSchema({ a: { type: "string" } }));
    await registry.register("t", objectSchema({ a: { type: "string" }, b: { type: "string" } }));
    const v3 = objectSchema({ a: { type: "string" }, b: { type: "string", default: "x" } });
    await registry.setConfig("t", { compatibility: "FORWARD_TRANSITIVE" });
    const transitive = await registry.checkCompatibility("t", v3);
    await registry.setConfig("t", { compatibility: "FORWARD" });
    const latestOnly = await registry.checkCompatibility("t", v3);
    expect(latestOnly.isCompatible).toBe(true);
    // Read by v1 readers (closed model), v3's extra property b is a break: only a transitive check sees v1.
    expect(transitive.isCompatible).toBe(false);
    expect(new Set(transitive.differences.map((d) => d.version))).toEqual(new Set([1]));
  });

  test("compatibility against an unknown subject is true for latest, 40401 for a numbered version", async () => {
    expect((await registry.checkCompatibility("nobody", V1, "latest")).isCompatible).toBe(true);
    await expectCode(registry.checkCompatibility("nobody", V1, 1), "SR_SUBJECT_NOT_FOUND");
  });

  test("lookup finds the registered version and answers 40403 otherwise", async () => {
    await registry.register("s", V1);
    expect(await registry.lookup("s", JSON.stringify(V1))).toMatchObject({ subject: "s", version: 1 });
    await expectCode(registry.lookup("s", { ...V1, title: "other" }), "SR_SCHEMA_NOT_FOUND");
    await expectCode(registry.lookup("nobody", V1), "SR_SUBJECT_NOT_FOUND");
  });

  test("subject config: 40408 without defaultToGlobal, effective values with it", async () => {
    await registry.register("s", V1);
    await expectCode(registry.getConfig("s", { defaultToGlobal: false }), "SR_SUBJECT_CONFIG_NOT_FOUND");
    expect(await registry.getConfig("s")).toEqual({
      compatibilityLevel: "BACKWARD",
      policy: "STRICT",
      profile: "openai-strict",
    });
    await registry.setConfig("s", { compatibility: "FULL" });
    expect((await registry.getConfig("s", { defaultToGlobal: false })).compatibilityLevel).toBe("FULL");
    await expectCode(
      registry.setConfig("s", { compatibility: "SIDEWAYS" as never }),
      "SR_INVALID_COMPATIBILITY_LEVEL",
    );
    await expectCode(registry.setConfig("s", { policy: "LAX" as never }), "SR_INVALID_POLICY");
    await expectCode(registry.setConfig("s", { profile: "gemini" as never }), "SR_INVALID_PROFILE");
    expect((await registry.deleteConfig("s")).compatibilityLevel).toBe("FULL");
    expect((await registry.getConfig("s")).compatibilityLevel).toBe("BACKWARD");
  });

  test("the provider form drops default and x- annotations", async () => {
    const schema = objectSchema({
      n: { type: "number", default: 0, "x-note": "internal" },
      status: { type: "string", enum: ["a", "other"], "x-enum-fallback": "other" },
    });
    await registry.register("p", schema);
    expect(await registry.getProviderSchema("p", "latest")).toEqual(
      objectSchema({ n: { type: "number" }, status: { type: "string", enum: ["a", "other"] } }),
    );
  });

  test("check is a dry run that reports the verdict without storing", async () => {
    await registry.register("s", V1);
    const bad = await registry.check("s", objectSchema({ name: { type: "number" } }));
    expect(bad.registrable).toBe(false);
    expect(bad.compatibility.differences.length).toBeGreaterThan(0);
    const same = await registry.check("s", V1);
    expect(same).toMatchObject({ registrable: true, existing: { version: 1 } });
    expect(await registry.listVersions("s")).toEqual([1]);
  });

  test("every shipped example subject registers in version order under the defaults", async () => {
    // Through the folder sync, which publishes a subject's references (money) before the files using them.
    const report = await syncSchemasFolder(SCHEMAS_DIR, registry);
    expect(report.counts.refused + report.counts.skipped).toBe(0);
    expect(report.counts.created).toBe(report.files.length);
    for (const file of report.files) expect(file).toMatchObject({ version: file.fileVersion });
    const versioned = readdirSync(SCHEMAS_DIR).filter((s) =>
      readdirSync(join(SCHEMAS_DIR, s)).includes("v2.json"),
    );
    expect(versioned.length).toBeGreaterThanOrEqual(3);
  });
});

describe("stored schema text", () => {
  test("keeps the author's property order (OpenAI generates keys in schema order)", async () => {
    const registry = createRegistryService({ store: createMemorySchemaStore() });
    const schema = objectSchema({
      reasoning: { type: "string" },
      answer: { type: "string" },
      ack: { type: "boolean" },
    });
    await registry.register("ordered", schema);
    const stored = JSON.parse((await registry.getVersion("ordered", 1)).schema) as JsonObject;
    expect(Object.keys(stored.properties as JsonObject)).toEqual(["reasoning", "answer", "ack"]);
    const provider = (await registry.getProviderSchema("ordered", 1)) as JsonObject;
    expect(Object.keys(provider.properties as JsonObject)).toEqual(["reasoning", "answer", "ack"]);
  });
});
