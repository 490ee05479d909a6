import { MIGRATION_0001_REGISTRY } from "./0001-registry.js";
import type { Migration } from "./migration.js";

export type { Migration } from "./migration.js";

/** Every migration, in order. Later ones (quarantine, rollout state, audit) are appended as 0002, 0003 … */
export const MIGRATIONS: readonly Migration[] = [MIGRATION_0001_REGISTRY];
