/** A registry with an `invoice` subject, validation with a quarantine, and a real Responses client against the fake. */

import type { OpenAIConfig } from "../../src/adapters/openai/openai-config.js";
import { createResponsesClient, type ResponsesClient } from "../../src/adapters/openai/responses-client.js";
import { createMemoryQuarantineStore } from "../../src/adapters/storage/memory-quarantine-store.js";
import { createMemorySchemaStore } from "../../src/adapters/storage/memory-schema-store.js";
import { createGenerationService, type GenerationDeps } from "../../src/app/generation.js";
import type { GenerationService } from "../../src/app/generation-types.js";
import { createLocalVersionSource } from "../../src/app/local-version-source.js";
import type { QuarantineStore } from "../../src/app/ports.js";
import { createRegistryService } from "../../src/app/registry.js";
import type { RegistryService } from "../../src/app/registry-types.js";
import { createValidationService } from "../../src/app/validation.js";
import { testConfig } from "../adapters/openai/helpers.js";
import type { FakeOpenAI } from "../helpers/fake-openai.js";

export const INVOICE_V1 = {
  type: "object",
  "x-owner": "billing",
  properties: {
    total: { type: "number" },
    currency: { type: "string", enum: ["EUR", "USD"] },
  },
  required: ["total", "currency"],
  additionalProperties: false,
};

export const INVOICE_V2 = {
  ...INVOICE_V1,
  properties: { ...INVOICE_V1.properties, customer: { type: ["string", "null"], default: null } },
  required: ["total", "currency", "customer"],
};

/** Everything a generation test needs. */
export interface GenerationWorld {
  registry: RegistryService;
  quarantine: QuarantineStore;
  generation: GenerationService;
  responses: ResponsesClient;
  close(): Promise<void>;
}

/** Builds the world over the fake; `deps` overrides generation deps, `openai` the client config. */
export async function generationWorld(
  fake: FakeOpenAI,
  options: { openai?: Partial<OpenAIConfig>; deps?: Partial<GenerationDeps>; schemas?: object[] } = {},
): Promise<GenerationWorld> {
  const store = createMemorySchemaStore();
  const registry = createRegistryService({ store });
  for (const schema of options.schemas ?? [INVOICE_V1]) await registry.register("invoice", schema as never);
  const versions = createLocalVersionSource(store, { ttlMs: 0 });
  const quarantine = createMemoryQuarantineStore();
  const validation = createValidationService({
    versions,
    quarantine: { store: quarantine, retention: { maxPerSubject: 100, maxAgeMs: 1e9 }, maxRawBytes: 4096 },
    now: () => new Date(),
    randomKey: () => "generated-key",
  });
  const config = testConfig(fake, options.openai);
  const responses = createResponsesClient({ config });
  let keys = 0;
  const generation = createGenerationService({
    versions,
    validation,
    responses,
    providerSchema: (subject, version) => registry.getProviderSchema(subject, version),
    defaultModel: config.model,
    budgetMs: config.budgetMs,
    maxRetries: config.maxRetries,
    idempotencyWindowMs: 60_000,
    now: () => performance.now(),
    randomKey: () => `key-${++keys}`,
    ...options.deps,
  });
  return { registry, quarantine, generation, responses, close: () => responses.close() };
}
