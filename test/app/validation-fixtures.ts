/** Shared setup of the validation specs: a real registry over the memory store, and schemas to evolve. */
import { createMemoryQuarantineStore } from "../../src/adapters/storage/memory-quarantine-store.js";
import { createMemorySchemaStore } from "../../src/adapters/storage/memory-schema-store.js";
import { createLocalVersionSource } from "../../src/app/local-version-source.js";
import type { QuarantineStore } from "../../src/app/ports.js";
import { createRegistryService } from "../../src/app/registry.js";
import type { RegistryService } from "../../src/app/registry-types.js";
import {
  createValidationService,
  type ValidationDeps,
  type ValidationService,
} from "../../src/app/validation.js";
import type { JsonObject } from "../../src/core/json.js";

/** A closed object schema with every property required. */
export function closed(properties: Record<string, JsonObject>): JsonObject {
  return { type: "object", properties, required: Object.keys(properties), additionalProperties: false };
}

export const V1 = closed({
  name: { type: "string" },
  status: { type: "string", enum: ["open", "closed", "other"] },
});

/** V1 plus a required property with a default: backward compatible with V1 (readers fill the default). */
export const V2_WITH_DEFAULT = closed({
  name: { type: "string" },
  status: { type: "string", enum: ["open", "closed", "other"] },
  priority: { type: "string", enum: ["low", "high"], default: "low" },
});

/** V1 with a different status enum: not backward compatible with V1. */
export const V2_INCOMPATIBLE = closed({
  name: { type: "string" },
  status: { type: "string", enum: ["new", "done"] },
});

export const NOW = new Date("2025-06-01T12:00:00.000Z");

/** Everything a validation spec needs. */
export interface Harness {
  registry: RegistryService;
  store: QuarantineStore;
  validation: ValidationService;
  outcomes: unknown[];
}

/** A registry (compatibility NONE, profile json-schema, so any evolution can be registered) and the service. */
export async function harness(
  schemas: JsonObject[],
  overrides: Partial<ValidationDeps> = {},
  subject = "tickets",
): Promise<Harness> {
  const source = { current: undefined as ReturnType<typeof createLocalVersionSource> | undefined };
  const schemaStore = createMemorySchemaStore();
  const registry = createRegistryService({
    store: schemaStore,
    onChange: (s) => source.current?.invalidate(s),
  });
  await registry.setConfig(null, { compatibility: "NONE", profile: "json-schema" });
  for (const schema of schemas) await registry.register(subject, schema);
  source.current = createLocalVersionSource(schemaStore);
  const store = createMemoryQuarantineStore();
  const outcomes: unknown[] = [];
  let n = 0;
  const validation = createValidationService({
    versions: source.current,
    quarantine: { store, retention: { maxPerSubject: 100, maxAgeMs: 86_400_000 }, maxRawBytes: 1024 },
    now: () => NOW,
    randomKey: () => `random-${++n}`,
    onOutcome: (o) => outcomes.push(o),
    ...overrides,
  });
  return { registry, store, validation, outcomes };
}
