/**
 * Serialising validate-batch results. Most lines of a healthy batch are strict-track successes that differ
 * only in their data and key, so the rest of such an outcome is serialised once and reused while it stays
 * the same; and strict data is exactly `JSON.parse` of a text the line already holds, so that text is
 * embedded instead of serialising the value again. Every other outcome is serialised in full.
 */
import type { ValidationOutcome, ValidationSuccess } from "../../app/validation-types.js";

/** Builds result lines; keeps the serialised constant part of the last strict success. */
export class ResultSerializer {
  private last: ValidationSuccess | undefined;
  private shapeJson = "";

  /**
   * The outcome's fields after `head` (which opens the object) and the closing brace. `json` is the text
   * whose parse the strict track accepted, when the line holds it on one line.
   */
  line(head: string, outcome: ValidationOutcome, json: string | undefined): string {
    if (!outcome.ok || outcome.track !== "strict" || json === undefined || outcome.repairs.length > 0) {
      return `${head},${JSON.stringify(outcome).slice(1)}\n`;
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
    return `${head},${this.shapeJson}${key},"data":${json.trim()}}\n`;
  }
}

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
