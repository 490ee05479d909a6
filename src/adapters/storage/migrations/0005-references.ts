import type { Migration } from "./migration.js";

/**
 * Schema references (Confluent's `references: [{name, subject, version}]`). They belong to the schema id,
 * as the text does: the same text with other references is another schema. `position` keeps the order the
 * author listed them in (answers give them back unchanged). Looked up by target to answer `referencedby` and
 * to refuse deleting a referenced version.
 */
export const MIGRATION_0005_REFERENCES: Migration = {
  version: 5,
  name: "references",
  sql: `
CREATE TABLE structreg_schema_references (
  schema_id integer NOT NULL REFERENCES structreg_schemas (id),
  position integer NOT NULL,
  name text NOT NULL,
  subject text NOT NULL,
  version integer NOT NULL CHECK (version > 0),
  PRIMARY KEY (schema_id, position)
);
CREATE INDEX structreg_schema_references_target ON structreg_schema_references (subject, version);
`,
};
