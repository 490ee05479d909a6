import type { RegisterInput, RegisterResult, VersionRecord } from "../../app/ports.js";
import { StructregError } from "../../core/errors.js";

/**
 * Rules both schema stores apply to a registration before anything is written, including IMPORT's explicit
 * id and version (Confluent's registerOrForward and checkIfSchemaWithIdExist, see REFERENCE.md).
 */

/** The undeleted version that makes this registration a no-op: same fingerprint and, when given, same id. */
export function idempotentMatch(
  undeleted: VersionRecord[],
  input: RegisterInput,
): RegisterResult | undefined {
  const found = undeleted.find(
    (r) => r.fingerprint === input.fingerprint && (input.id === undefined || input.id === r.id),
  );
  return found === undefined ? undefined : { id: found.id, version: found.version, created: false };
}

/**
 * An explicit version already stored (soft-deleted or not): a replay of the same schema and id answers it
 * unchanged (an import re-run); anything else is refused (Confluent overwrites it; structreg never loses a
 * stored version).
 */
export function replayOfVersion(
  row: { id: number; fingerprint: string; version: number } | undefined,
  input: RegisterInput,
): RegisterResult | undefined {
  if (row === undefined) return undefined;
  if (row.fingerprint === input.fingerprint && (input.id === undefined || input.id === row.id)) {
    return { id: row.id, version: row.version, created: false };
  }
  throw new StructregError(
    "SR_IMPORT_VERSION_CONFLICT",
    `Version ${row.version} of subject '${input.subject}' already exists with a different schema (id ${row.id}).`,
    {
      details: { subject: input.subject, version: row.version, id: row.id },
      hint: "import into an unused version, or delete that version permanently first",
    },
  );
}

/** The explicit id is taken by another schema (Confluent's message). */
export function idConflict(id: number): StructregError {
  return new StructregError("SR_IMPORT_ID_CONFLICT", `Overwrite new schema with id ${id} is not permitted.`, {
    details: { id },
    hint: "GET /schemas/ids/{id} shows the schema holding it",
  });
}

/** The schema already has another id: structreg keeps one id per canonical schema. */
export function schemaHasOtherId(id: number, existing: number): StructregError {
  return new StructregError(
    "SR_IMPORT_SCHEMA_HAS_ID",
    `Schema already registered with id ${existing} instead of input id ${id}.`,
    {
      details: { id, existingId: existing },
      hint: "structreg gives a canonical schema one id: import it with that id",
    },
  );
}
