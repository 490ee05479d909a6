import { createMemoryQuarantineStore } from "../../src/adapters/storage/memory-quarantine-store.js";
import { createMemorySchemaStore } from "../../src/adapters/storage/memory-schema-store.js";
import { createLocalVersionSource, type LocalVersionSource } from "../../src/app/local-version-source.js";
import { createQuarantineService } from "../../src/app/quarantine.js";
import { createRegistryService } from "../../src/app/registry.js";
import type { RegistryService } from "../../src/app/registry-types.js";
import { createValidationService } from "../../src/app/validation.js";
import { buildApp } from "../../src/http/app.js";

/** The real HTTP app with validate-and-parse and the quarantine, over memory stores, on 127.0.0.1:0. */
export interface ValidationTestServer {
  url: string;
  registry: RegistryService;
  close(): Promise<void>;
}

/** Starts the registry, validation and quarantine routes on a free loopback port. */
export async function startValidationServer(): Promise<ValidationTestServer> {
  const schemaStore = createMemorySchemaStore();
  let source: LocalVersionSource | undefined;
  const registry = createRegistryService({ store: schemaStore, onChange: (s) => source?.invalidate(s) });
  source = createLocalVersionSource(schemaStore);
  const store = createMemoryQuarantineStore();
  const now = () => new Date();
  const validation = createValidationService({
    versions: source,
    quarantine: { store, retention: { maxPerSubject: 1000, maxAgeMs: 86_400_000 }, maxRawBytes: 4096 },
    now,
    randomKey: () => "generated",
  });
  const quarantine = createQuarantineService({ store, validation, now });
  const app = await buildApp({ registry, validation, quarantine, logger: false });
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  return {
    url,
    registry,
    async close() {
      await app.close();
    },
  };
}
