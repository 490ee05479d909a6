import type { Migration } from "./migration.js";

/**
 * Registry modes (Confluent's READWRITE, READONLY, READONLY_OVERRIDE, IMPORT), per subject and global.
 * Own table rather than a column of structreg_configs: deleting a subject's config must not drop its mode.
 */
export const MIGRATION_0006_MODES: Migration = {
  version: 6,
  name: "modes",
  sql: `
-- subject '' holds the global mode, as in structreg_configs.
CREATE TABLE structreg_modes (
  subject text PRIMARY KEY,
  mode text NOT NULL CHECK (mode IN ('READWRITE', 'READONLY', 'READONLY_OVERRIDE', 'IMPORT'))
);
`,
};
