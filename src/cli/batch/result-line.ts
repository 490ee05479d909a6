/**
 * Serialising validate-batch results. Most lines of a healthy batch are strict-track successes that differ
 * only in their data and key, so the rest of such an outcome is serialised once and reused while it stays
 * the same; and strict data is exactly `JSON.parse` of a text the line already holds, so that text is
 * embedded instead of serialising the value again. Every other outcome is serialised in full.
 */
import type { ValidationOutcome } from "../../app/validation-types.js";

const VARYING = new Set(["data", "key"]);

/** Builds result lines; keeps the serialised shape of the last strict success. */
export class ResultSerializer {
  private shape: Record<string, unknown> | undefined;
  private shapeJson = "";

  /**
   * The outcome's fields after `head` (which opens the object) and the closing brace. `json` is the text
   * whose parse the strict track accepted, when the line holds it on one line.
   */
  line(head: string, outcome: ValidationOutcome, json: string | undefined): string {
    if (!outcome.ok || outcome.track !== "strict" || json === undefined) {
      return `${head},${JSON.stringify(outcome).slice(1)}\n`;
    }
    const fields = outcome as unknown as Record<string, unknown>;
    if (this.shape === undefined || !sameShape(this.shape, fields)) {
      this.shape = fields;
      const rest: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(fields)) if (!VARYING.has(name)) rest[name] = value;
      this.shapeJson = JSON.stringify(rest).slice(1, -1);
    }
    const key = outcome.key === undefined ? "" : `,"key":${JSON.stringify(outcome.key)}`;
    return `${head},${this.shapeJson}${key},"data":${json.trim()}}\n`;
  }
}

/** Same fields with the same values, apart from data and key (empty arrays count as equal). */
function sameShape(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  let count = 0;
  for (const name in b) {
    count++;
    if (VARYING.has(name)) continue;
    const x = a[name];
    const y = b[name];
    if (x !== y && !(isEmptyArray(x) && isEmptyArray(y))) return false;
  }
  let countA = 0;
  for (const _ in a) countA++;
  return count === countA;
}

function isEmptyArray(v: unknown): boolean {
  return Array.isArray(v) && v.length === 0;
}
