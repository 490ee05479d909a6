/**
 * Checks of a source registry's answers: each one is validated once at the boundary (a malformed answer is
 * a typed SR_IMPORT_SOURCE_INVALID naming the path, never a crash later), then trusted.
 */
import { StructregError } from "../../core/errors.js";
import { isJsonObject } from "../../core/json.js";
import type { SchemaReference, Settings, VersionRecord } from "./records.js";

const MAX_VERSION = 2_147_483_647;
const MAX_REFERENCES = 1_000;

/** An error for a source answer that is not what a Confluent-compatible registry answers. */
export function invalidAnswer(path: string, what: string): StructregError {
  return new StructregError("SR_IMPORT_SOURCE_INVALID", `the source answered ${path} with ${what}`, {
    hint: "is --from a Confluent-compatible schema registry (Confluent, Karapace, Apicurio's /apis/ccompat/v7)?",
  });
}

/** A JSON array of strings (subject names). */
export function readStringList(body: unknown, path: string): string[] {
  if (!Array.isArray(body) || !body.every((s) => typeof s === "string")) {
    throw invalidAnswer(path, "something other than a list of names");
  }
  return body as string[];
}

/** A JSON array of positive integers (version numbers). */
export function readVersionList(body: unknown, path: string): number[] {
  if (!Array.isArray(body) || !body.every(isVersionNumber)) {
    throw invalidAnswer(path, "something other than a list of version numbers");
  }
  return body as number[];
}

/** A config answer (`compatibilityLevel`, or `compatibility` as some registries spell it; plus structreg's). */
export function readSettings(body: unknown, path: string): Settings {
  if (!isJsonObject(body)) throw invalidAnswer(path, "something other than a config object");
  const settings: Settings = {};
  const level = body.compatibilityLevel ?? body.compatibility;
  if (typeof level === "string") settings.compatibilityLevel = level;
  if (typeof body.policy === "string") settings.policy = body.policy;
  if (typeof body.profile === "string") settings.profile = body.profile;
  return settings;
}

/** A version answer (`GET /subjects/{s}/versions/{v}`) as a record (deleted is decided by the caller). */
export function readVersionAnswer(
  body: unknown,
  path: string,
  subject: string,
  version: number,
): VersionRecord {
  if (!isJsonObject(body)) throw invalidAnswer(path, "something other than a version object");
  if (body.version !== version || (body.subject !== undefined && body.subject !== subject)) {
    throw invalidAnswer(path, `a version other than ${subject} ${version}`);
  }
  if (!isVersionNumber(body.id)) throw invalidAnswer(path, "a version without a positive integer id");
  if (typeof body.schema !== "string") throw invalidAnswer(path, "a version without a schema text");
  // Confluent omits schemaType for AVRO, its historical default.
  const schemaType = body.schemaType === undefined ? "AVRO" : body.schemaType;
  if (typeof schemaType !== "string") throw invalidAnswer(path, "a schemaType that is not a string");
  const record: VersionRecord = {
    type: "version",
    subject,
    version,
    id: body.id as number,
    schemaType,
    schema: body.schema,
    references: readReferences(body.references, path),
    deleted: body.deleted === true,
  };
  if (typeof body.state === "string") record.state = body.state;
  return record;
}

/** `references` of a version answer (absent means none). */
export function readReferences(value: unknown, path: string): SchemaReference[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalidAnswer(path, "references that are not a list");
  if (value.length > MAX_REFERENCES) throw invalidAnswer(path, `more than ${MAX_REFERENCES} references`);
  return value.map((ref) => {
    if (
      !isJsonObject(ref) ||
      typeof ref.name !== "string" ||
      typeof ref.subject !== "string" ||
      !isVersionNumber(ref.version)
    ) {
      throw invalidAnswer(path, "a reference without name, subject and version");
    }
    return { name: ref.name, subject: ref.subject, version: ref.version as number };
  });
}

function isVersionNumber(v: unknown): boolean {
  return typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= MAX_VERSION;
}
