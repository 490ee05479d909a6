import { StructregError } from "../../core/errors.js";
import { textNestingExceeds } from "../../core/parse/depth.js";

/**
 * How quarantine samples are written to PostgreSQL text and jsonb columns, which cannot hold every string a
 * model may produce. The encodings are exact: what is read back equals what was given.
 */

/** String methods of ES2024 that Node 20 has and the ES2023 lib does not declare. */
interface WellFormedString {
  isWellFormed(): boolean;
}

/**
 * PostgreSQL text holds neither NUL nor lone surrogates (the drivers would replace them with U+FFFD). Such a
 * value is stored as its JSON string literal, which is well-formed and NUL-free, and decoded on read: exact.
 */
export function encodeText(value: string): { text: string; escaped: boolean } {
  const storable = !value.includes("\u0000") && (value as unknown as WellFormedString).isWellFormed();
  return storable ? { text: value, escaped: false } : { text: JSON.stringify(value), escaped: true };
}

/** Reverses encodeText. */
export function decodeText(text: string, escaped: boolean): string {
  return escaped ? (JSON.parse(text) as string) : text;
}

/** JSON.stringify writes NUL and lone surrogates as exactly these escapes; jsonb rejects both. */
const JSONB_UNSAFE_ESCAPE = /\\u(?:0000|d[89a-f])/i;
/** Deeper JSON is kept as text: PGlite can hang printing deeply nested jsonb. Parser output stays far below. */
const MAX_JSONB_DEPTH = 100;

/**
 * The JSON of an issues or repairs array for a jsonb column: the array itself, or `{"json": "<text>"}` when
 * jsonb cannot hold it (see the migration). Never throws anything but StructregError.
 */
export function toJsonb(value: readonly unknown[], what: string): string {
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    // A cycle, a BigInt, or nesting deep enough to overflow the stack (RangeError).
    throw new StructregError("SR_STORE_ERROR", `The quarantine sample's ${what} cannot be written as JSON.`, {
      cause: err,
    });
  }
  if (JSONB_UNSAFE_ESCAPE.test(text) || jsonDepthExceeds(text, MAX_JSONB_DEPTH)) {
    return JSON.stringify({ json: text });
  }
  return text;
}

/** Reverses toJsonb (given the driver's parsed jsonb value). */
export function fromJsonb(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  const json = (value as { json?: unknown } | null)?.json;
  if (typeof json === "string") return JSON.parse(json) as unknown[];
  throw new StructregError("SR_STORE_ERROR", "A stored quarantine sample has malformed issues or repairs.");
}

/** Whether JSON text nests deeper than `limit` (the parse pipeline's one-pass bracket count). */
export const jsonDepthExceeds: (text: string, limit: number) => boolean = textNestingExceeds;
