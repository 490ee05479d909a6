import type { RegistryService } from "../../src/app/registry-types.js";
import { createTestServices } from "../../src/compose.js";
import { buildApp } from "../../src/http/app.js";
import type { HttpToken } from "../../src/http/auth.js";

/** A real registry (HTTP app over the memory store) listening on a free loopback port. */
export interface TestRegistry {
  url: string;
  registry: RegistryService;
  close(): Promise<void>;
}

/** Starts the real HTTP app on 127.0.0.1:0, optionally with bearer tokens. */
export async function startTestRegistry(tokens: HttpToken[] = []): Promise<TestRegistry> {
  const services = createTestServices();
  const app = await buildApp({ registry: services.registry, logger: false, options: { tokens } });
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  return {
    url,
    registry: services.registry,
    async close() {
      await app.close();
      await services.close();
    },
  };
}
