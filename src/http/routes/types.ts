import type { RegistryService } from "../../app/registry-types.js";

/** What every resource plugin is registered with. */
export interface ResourceOptions {
  registry: RegistryService;
}
