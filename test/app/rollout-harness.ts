import { createEmbeddedFlagSource } from "../../src/adapters/flags/embedded-flags.js";
import { createMemoryRolloutStore } from "../../src/adapters/storage/memory-rollout-store.js";
import { createMemorySchemaStore } from "../../src/adapters/storage/memory-schema-store.js";
import { createRegistryService } from "../../src/app/registry.js";
import type { RegistryService } from "../../src/app/registry-types.js";
import { createRolloutService } from "../../src/app/rollout.js";
import type { RolloutService, RolloutStore } from "../../src/app/rollout-types.js";
import type { SourceVersion } from "../../src/app/validation-types.js";
import type { JsonSchema } from "../../src/core/json.js";

/** Three compatible versions of an `invoice` subject (each adds an optional-by-null property). */
export const INVOICE_VERSIONS: JsonSchema[] = [1, 2, 3].map((n) => ({
  type: "object",
  additionalProperties: false,
  required: Array.from({ length: n }, (_, i) => `f${i}`),
  properties: Object.fromEntries(
    Array.from({ length: n }, (_, i) => [
      `f${i}`,
      i === 0 ? { type: "string" } : { type: ["string", "null"] },
    ]),
  ),
}));

/** A registry with `invoice` v1..v3 over memory stores, and a rollout service in embedded mode. */
export interface RolloutHarness {
  registry: RegistryService;
  store: RolloutStore;
  rollout: RolloutService;
  /** The subject's live versions as validate-and-parse hands them to `decide`. */
  live(subject?: string): Promise<SourceVersion[]>;
  close(): Promise<void>;
}

/** Builds the harness; `store` lets a test share one rollout store between two services. */
export async function createRolloutHarness(
  options: { store?: RolloutStore; registry?: RegistryService; keyPrefix?: string } = {},
): Promise<RolloutHarness> {
  const registry = options.registry ?? createRegistryService({ store: createMemorySchemaStore() });
  if (options.registry === undefined) {
    await registry.setConfig(null, { compatibility: "NONE", profile: "json-schema" });
    for (const schema of INVOICE_VERSIONS) await registry.register("invoice", schema);
  }
  const store = options.store ?? createMemoryRolloutStore();
  const flags = createEmbeddedFlagSource({ keyPrefix: options.keyPrefix ?? "structreg." });
  const rollout = createRolloutService({ store, registry, flags });
  await rollout.start();
  return {
    registry,
    store,
    rollout,
    async live(subject = "invoice") {
      const numbers = await registry.listVersions(subject);
      const views = await Promise.all(numbers.map((n) => registry.getVersion(subject, n)));
      return views
        .filter((v) => v.state !== "DISABLED")
        .map((v) => ({
          version: v.version,
          id: v.id,
          fingerprint: v.fingerprint,
          state: v.state,
          schema: JSON.parse(v.schema) as JsonSchema,
        }));
    },
    close: () => rollout.close(),
  };
}
