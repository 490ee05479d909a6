/**
 * The JSON text of a repair-free strict-track success, written without serialising its data again. Such an
 * outcome's data is exactly `JSON.parse` of the text the strict track accepted, so that text is embedded
 * as `data`; and the outcomes of one subject and version differ only in their data and key, so the rest
 * is serialised once and reused while it stays the same. validate-batch writes its result lines with it
 * and POST /subjects/{s}/validate its answers. Every other outcome is serialised in full by the caller.
 */
import type { ValidationOutcome, ValidationSuccess } from "./validation-types.js";

/** The fields of a strict-track success without repairs, as the validation service builds it. */
export const STRICT_SUCCESS_FIELDS = [
  "ok",
  "subject",
  "version",
  "targetVersion",
  "resolution",
  "track",
  "data",
  "repairs",
  "key",
  "keyGenerated",
] as const satisfies readonly (keyof ValidationSuccess)[];

/** Writes strict successes; keeps the serialised constant part of the last one. */
export class StrictSuccessJson {
  private last: ValidationSuccess | undefined;
  private shapeJson = "";

  /**
   * The outcome's members as JSON object text without the braces, `data` being `json` verbatim; undefined
   * unless the outcome is a repair-free strict success and `json` the text its data was parsed from.
   */
  members(outcome: ValidationOutcome, json: string | undefined): string | undefined {
    if (!outcome.ok || outcome.track !== "strict" || json === undefined || outcome.repairs.length > 0) {
      return undefined;
    }
    // PERFORMANCE: five comparisons, not a walk over the outcome's fields. A repair-free strict success has
    // exactly STRICT_SUCCESS_FIELDS (a test holds the validation service to it), so these are all that vary
    // besides data and key.
    const last = this.last;
    if (
      last === undefined ||
      last.subject !== outcome.subject ||
      last.version !== outcome.version ||
      last.targetVersion !== outcome.targetVersion ||
      last.resolution !== outcome.resolution ||
      last.keyGenerated !== outcome.keyGenerated
    ) {
      this.last = outcome;
      const constant = {
        ok: true,
        subject: outcome.subject,
        version: outcome.version,
        targetVersion: outcome.targetVersion,
        resolution: outcome.resolution,
        track: "strict",
        repairs: [],
        keyGenerated: outcome.keyGenerated,
      };
      this.shapeJson = JSON.stringify(constant).slice(1, -1);
    }
    const key = outcome.key === undefined ? "" : `,"key":${JSON.stringify(outcome.key)}`;
    return `${this.shapeJson}${key},"data":${json}`;
  }
}
