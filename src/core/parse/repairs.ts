/** The vocabulary of repairs the tolerant track can make, and the log that records them. */

/** Every repair kind with a one-line description (public API: kinds are never renamed). */
export const REPAIR_KINDS = {
  // --- extraction ---
  stripped_bom: "A leading byte-order mark was removed.",
  extracted_fence: "The JSON was taken from the first fenced code block holding an object.",
  extracted_prose: "The JSON was cut out of surrounding prose (the first balanced {…} span).",
  decoded_string: "The output was a JSON string literal whose content is the object (double-encoded).",
  // --- syntax ---
  trailing_comma: "A comma before a closing bracket was removed.",
  missing_comma: "A missing comma between two members or items was inserted.",
  quotes: "A string or key in single or smart quotes was re-quoted with double quotes.",
  unquoted_key: "A bare-word object key was quoted.",
  comment: "A // or /* */ comment was removed.",
  python_literal: "A Python literal (True, False, None) was read as true, false, null.",
  control_char: "Raw control characters inside a string were escaped.",
  closed_truncation: "The text ended early with only closing brackets missing; they were added.",
  dropped_dangling_key: "A key with no value at the point of truncation was dropped.",
  dropped_trailing_text: "Non-JSON text after the root value was ignored.",
  // --- schema-directed coercion ---
  enum_case: "An enum value matched a member ignoring case, surrounding spaces and space/hyphen/underscore.",
  enum_alias: "An enum value matched an alias declared in the property's x-aliases.",
  enum_fallback:
    "An unknown enum value was mapped to the catch-all member (x-enum-fallback, other, unknown).",
  number_from_string: "A string that is exactly a JSON number was read as a number.",
  boolean_from_string: 'A string "true" or "false" (any case) was read as a boolean.',
  string_from_number: "A number was written as a string for a string field.",
  wrapped_in_array: "A lone value where an array is expected became a one-element array.",
  null_for_missing: "A missing property whose schema allows null was set to null.",
  dropped_unknown_key: "A key not allowed by additionalProperties: false was dropped.",
} as const satisfies Record<string, string>;

/** A repair kind (a key of REPAIR_KINDS). */
export type RepairKind = keyof typeof REPAIR_KINDS;

/** One change the tolerant track made, at a JSON Pointer `path` into the value (`""` for the whole output). */
export interface Repair {
  kind: RepairKind;
  path: string;
  from?: unknown;
  to?: unknown;
}

/** More repairs than this means the text is not a slightly broken model output: it fails instead. */
export const MAX_REPAIRS = 1000;

/** Raised internally when the repair log is full; the pipeline turns it into a typed failure. */
export class TooManyRepairs extends Error {
  constructor() {
    super(`more than ${MAX_REPAIRS} repairs`);
    this.name = "TooManyRepairs";
  }
}

/** Appends a repair, keeping the log bounded so hostile input cannot grow it without limit. */
export function addRepair(log: Repair[], repair: Repair): void {
  if (log.length >= MAX_REPAIRS) throw new TooManyRepairs();
  log.push(repair);
}

/** Builds a repair without `from`/`to` keys when they are undefined (exactOptionalPropertyTypes). */
export function repairOf(kind: RepairKind, path: string, from?: unknown, to?: unknown): Repair {
  const r: Repair = { kind, path };
  if (from !== undefined) r.from = from;
  if (to !== undefined) r.to = to;
  return r;
}

/** Appends one JSON Pointer segment (RFC 6901 escaping). */
export function pointerJoin(base: string, segment: string | number): string {
  if (typeof segment === "number") return `${base}/${segment}`;
  // Most keys need no escaping: skip the two regex passes for them (coercion joins a path per key).
  if (!segment.includes("~") && !segment.includes("/")) return `${base}/${segment}`;
  return `${base}/${segment.replace(/~/g, "~0").replace(/\//g, "~1")}`;
}
