import { StructregError } from "../core/errors.js";

/** Largest version number and schema id (Confluent uses Java ints). */
export const MAX_INT32 = 2 ** 31 - 1;

const POSITIVE_INT = /^[1-9][0-9]{0,9}$/;

/** Parses a version path segment: "latest", "-1" (Confluent's alias of latest) or 1..2^31-1. */
export function parseVersion(raw: string): number | "latest" {
  if (raw === "latest" || raw === "-1") return "latest";
  const n = POSITIVE_INT.test(raw) ? Number(raw) : Number.NaN;
  if (!(n <= MAX_INT32)) {
    throw new StructregError(
      "SR_INVALID_VERSION",
      `The specified version '${raw.slice(0, 100)}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`,
      { hint: 'use a version number from 1 to 2147483647, or "latest"' },
    );
  }
  return n;
}

/** Parses a schema id path segment; anything but 1..2^31-1 is an unknown schema, as in Confluent. */
export function parseSchemaId(raw: string): number {
  const n = POSITIVE_INT.test(raw) ? Number(raw) : Number.NaN;
  if (!(n <= MAX_INT32)) {
    throw new StructregError("SR_SCHEMA_NOT_FOUND", `Schema ${raw.slice(0, 100)} not found`, {
      hint: "schema ids are positive integers",
    });
  }
  return n;
}
