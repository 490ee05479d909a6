import { beforeEach, describe, expect, test } from "vitest";
import { createMemorySchemaStore } from "../../src/adapters/storage/memory-schema-store.js";
import { createRegistryService } from "../../src/app/registry.js";
import type { RegistryService } from "../../src/app/registry-types.js";
import type { JsonSchema } from "../../src/core/json.js";
import { tryCompile } from "../../src/core/schema/analyze.js";

const schema = (field: string) => ({
  type: "object",
  properties: { [field]: { type: "string", pattern: "^[a-z]+$" } },
  required: [field],
  additionalProperties: false,
});

describe("the registry compiles each schema once per fingerprint", () => {
  let registry: RegistryService;
  let compiled: JsonSchema[];

  function registryWith(size?: number): RegistryService {
    compiled = [];
    return createRegistryService({
      store: createMemorySchemaStore(),
      compile: {
        ...(size === undefined ? {} : { size }),
        compile: (s) => {
          compiled.push(s);
          return tryCompile(s);
        },
      },
    });
  }

  beforeEach(async () => {
    registry = registryWith();
    await registry.register("s", schema("a"));
  });

  test("registering compiles; looking the same schema up again does not", async () => {
    expect(compiled).toHaveLength(1);
    await registry.lookup("s", schema("a"));
    await registry.lookup("s", JSON.stringify(schema("a"), null, 2));
    expect(compiled).toHaveLength(1);
  });

  test("a second identical compatibility request does not compile again", async () => {
    const candidate = schema("b");
    expect((await registry.checkCompatibility("s", candidate, "latest")).isCompatible).toBe(false);
    expect(compiled).toHaveLength(2);
    // Same schema with its keys in another order: the same fingerprint.
    const reordered = Object.fromEntries(Object.entries(candidate).reverse());
    expect((await registry.checkCompatibility("s", reordered, "latest")).isCompatible).toBe(false);
    await registry.check("s", candidate);
    expect(compiled).toHaveLength(2);
  });

  test("a lookup of an unknown schema compiles once, however often it is asked", async () => {
    for (let i = 0; i < 3; i++) await expect(registry.lookup("s", schema("z"))).rejects.toThrow(/not found/);
    expect(compiled).toHaveLength(2);
  });

  test("a schema that does not compile is refused every time but compiled once", async () => {
    const broken = { type: "object", properties: { a: { $ref: "#/$defs/missing" } } };
    for (let i = 0; i < 3; i++) {
      await expect(registry.checkCompatibility("s", broken, "latest")).rejects.toMatchObject({
        code: "SR_INVALID_SCHEMA",
      });
    }
    expect(compiled).toHaveLength(2);
  });

  test("the cache is bounded: a verdict pushed out is compiled again", async () => {
    registry = registryWith(2);
    for (const field of ["a", "b", "c", "a"]) await registry.checkCompatibility("s", schema(field), "latest");
    expect(compiled).toHaveLength(4);
  });
});
