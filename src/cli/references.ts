/** The `--reference name=subject:version` option of register and check, and how references are printed. */
import type { Command } from "commander";
import { StructregError } from "../core/errors.js";
import type { SchemaReference } from "../core/schema/references.js";

/** Adds the repeatable `--reference` option to a command. */
export function withReferenceOption(cmd: Command): Command {
  return cmd.option(
    "--reference <name=subject:version>",
    "a schema reference: the $ref target the schema uses, and the version it names (latest or -1 for the latest); repeatable",
    collectReference,
    [],
  );
}

/** Parses one `name=subject:version` (the name may itself hold `=` or `:`, e.g. a URL: the last ones split). */
export function parseReference(raw: string): SchemaReference {
  const colon = raw.lastIndexOf(":");
  const equals = raw.lastIndexOf("=", colon);
  const name = raw.slice(0, equals);
  const subject = raw.slice(equals + 1, colon);
  const version = raw.slice(colon + 1);
  if (equals <= 0 || colon < 0 || subject === "" || !/^(-1|latest|[1-9][0-9]{0,9})$/.test(version)) {
    throw new StructregError(
      "SR_USAGE",
      `--reference must be name=subject:version, got ${JSON.stringify(raw)}`,
      {
        hint: 'e.g. --reference money.json=money:1 (the schema says "$ref": "money.json")',
      },
    );
  }
  return { name, subject, version: version === "latest" ? -1 : Number(version) };
}

function collectReference(raw: string, previous: SchemaReference[]): SchemaReference[] {
  return [...previous, parseReference(raw)];
}

/** `money.json → money@1, …`, or `-` for none. */
export function describeReferences(references: readonly SchemaReference[] | undefined): string {
  if (references === undefined || references.length === 0) return "-";
  return references.map((r) => `${r.name} → ${r.subject}@${r.version}`).join(", ");
}
