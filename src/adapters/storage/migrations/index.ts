import { MIGRATION_0001_REGISTRY } from "./0001-registry.js";
import { MIGRATION_0002_QUARANTINE } from "./0002-quarantine.js";
import { MIGRATION_0003_ROLLOUT } from "./0003-rollout.js";
import { MIGRATION_0004_ROLLOUT_INTENTS } from "./0004-rollout-intents.js";
import { MIGRATION_0005_REFERENCES } from "./0005-references.js";
import { MIGRATION_0006_MODES } from "./0006-modes.js";
import type { Migration } from "./migration.js";

export type { Migration } from "./migration.js";

/** Every migration, in order. Later ones (rollout state, audit) are appended as 0003, 0004 … */
export const MIGRATIONS: readonly Migration[] = [
  MIGRATION_0001_REGISTRY,
  MIGRATION_0002_QUARANTINE,
  MIGRATION_0003_ROLLOUT,
  MIGRATION_0004_ROLLOUT_INTENTS,
  MIGRATION_0005_REFERENCES,
  MIGRATION_0006_MODES,
];
