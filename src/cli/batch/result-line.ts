/**
 * Serialising validate-batch results. A repair-free strict success embeds the line's own JSON text as its
 * data (see app/strict-success-json.ts); every other outcome is serialised in full.
 */
import { StrictSuccessJson } from "../../app/strict-success-json.js";
import type { ValidationOutcome } from "../../app/validation-types.js";

/** Builds result lines. */
export class ResultSerializer {
  private readonly strict = new StrictSuccessJson();

  /**
   * The outcome's fields after `head` (which opens the object) and the closing brace. `json` is the text
   * whose parse the strict track accepted, when the line holds it on one line.
   */
  line(head: string, outcome: ValidationOutcome, json: string | undefined): string {
    // A line's text may carry surrounding blanks (JSON whitespace): trimmed, the result line stays tidy.
    const members = this.strict.members(outcome, json?.trim());
    return members === undefined ? `${head},${JSON.stringify(outcome).slice(1)}\n` : `${head},${members}}\n`;
  }
}
