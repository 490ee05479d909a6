import type { Migration } from "./migration.js";

/**
 * A rollout change on its way to LaunchDarkly: planned and recorded here first, committed to
 * structreg_rollouts only once LaunchDarkly took it, so no transaction stays open across a network call.
 * One row per subject at most: it also keeps a second change of the subject out until this one settles.
 */
export const MIGRATION_0004_ROLLOUT_INTENTS: Migration = {
  version: 4,
  name: "rollout-intents",
  sql: `
CREATE TABLE structreg_rollout_intents (
  subject text PRIMARY KEY,
  token text NOT NULL,
  change jsonb NOT NULL,
  previous jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
`,
};
