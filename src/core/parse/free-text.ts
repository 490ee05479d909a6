/**
 * Where a schema lets free text through, to decide how a parser rejects lone UTF-16 surrogates.
 *
 * A lone surrogate can only reach a validated value inside a string the schema does not pin down: keys of
 * closed objects are the schema's own names, and enum/const members are the schema's own strings. So when
 * every object is closed and the free-text strings are few, the validator itself checks each of them
 * (`String.prototype.isWellFormed`, O(1) for one-byte strings, inline in the compiled code); otherwise the
 * parser screens the whole text once (unicode.ts), which costs a fixed ~10 ns plus a memchr over the text.
 * A string value checked inline costs ~3 ns, so inline checks win only while there are few of them.
 *
 * The walk is conservative: any keyword it does not know, a `$ref`, an open object, an array of strings
 * or an untyped schema counts as open, and the text is screened.
 */
import { isJsonObject, type JsonObject, type JsonSchema, type JsonValue } from "../json.js";
import { budgetFor, isSchemaTooComplex, type WorkBudget } from "../work-budget.js";
import { typesOf } from "./schema-nav.js";

/** A free-text string schema: it admits strings and pins none down (no enum, no const). */
export function isFreeTextString(node: JsonObject): boolean {
  if (Object.hasOwn(node, "enum") || Object.hasOwn(node, "const")) return false;
  return typesOf(node)?.includes("string") === true;
}

/** At most this many free-text places are checked inline; beyond, one screen of the text is cheaper. */
export const MAX_INLINE_STRING_CHECKS = 4;

/** Keywords that never let a value hold a string the walk has not counted. */
const NEUTRAL = new Set([
  "$schema",
  "$id",
  "$comment",
  "$defs",
  "definitions",
  "title",
  "description",
  "default",
  "examples",
  "deprecated",
  "readOnly",
  "writeOnly",
  "required",
  "minLength",
  "maxLength",
  "pattern",
  "format",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minProperties",
  "maxProperties",
  "minItems",
  "maxItems",
  "uniqueItems",
]);

/** Keywords the walk reads. */
const STRUCTURAL = new Set([
  "type",
  "enum",
  "const",
  "properties",
  "additionalProperties",
  "items",
  "anyOf",
  "oneOf",
  "allOf",
]);

const COMBINATORS = ["anyOf", "oneOf", "allOf"];

class Open {}
const OPEN = new Open();

/** State of one count: places per node (one map per `inArray`), so a node shared in memory is counted once. */
interface Counting {
  counted: [Map<JsonObject, number>, Map<JsonObject, number>];
  budget: WorkBudget;
}

/**
 * True when the validator should check the schema's free-text strings itself: every object is closed and
 * there are at most MAX_INLINE_STRING_CHECKS such places, none inside an array. The walk never follows a
 * `$ref` (one counts as open) and counts each node once; past the budget the answer is false (screen the
 * text), which is always safe.
 */
export function checksStringsInline(schema: JsonSchema, budget?: WorkBudget | number): boolean {
  const counting: Counting = {
    counted: [new Map(), new Map()],
    budget: budgetFor("free-text count", budget),
  };
  try {
    return count(schema as JsonValue, false, counting) <= MAX_INLINE_STRING_CHECKS;
  } catch (err) {
    if (err === OPEN || isSchemaTooComplex(err)) return false;
    throw err;
  }
}

/** Free-text places under `node` (throws OPEN when the node is open). */
function count(node: JsonValue, inArray: boolean, counting: Counting): number {
  counting.budget.charge();
  if (node === false) return 0;
  if (!isJsonObject(node)) throw OPEN;
  const memo = counting.counted[inArray ? 1 : 0];
  let places = memo.get(node);
  if (places === undefined) {
    counting.budget.expand(node);
    places = countNode(node, inArray, counting);
    memo.set(node, places);
  }
  return places;
}

function countNode(node: JsonObject, inArray: boolean, counting: Counting): number {
  for (const key of Object.keys(node)) {
    if (!NEUTRAL.has(key) && !STRUCTURAL.has(key) && !key.startsWith("x-")) throw OPEN;
  }
  // A fixed set of values: every string in it is the schema's own.
  if (Object.hasOwn(node, "enum") || Object.hasOwn(node, "const")) return 0;
  let places = 0;
  for (const keyword of COMBINATORS) {
    const branches = node[keyword];
    if (branches === undefined) continue;
    if (!Array.isArray(branches)) throw OPEN;
    for (const branch of branches) places += count(branch, inArray, counting);
  }
  const types = typesOf(node);
  if (types === undefined) {
    // Untyped: only its branches constrain it (and they were counted); with none it admits anything.
    if (!COMBINATORS.some((k) => Object.hasOwn(node, k))) throw OPEN;
    return places;
  }
  if (isFreeTextString(node)) {
    if (inArray) throw OPEN;
    places += 1;
  }
  if (types.includes("object")) {
    if (node.additionalProperties !== false) throw OPEN;
    const properties = node.properties ?? {};
    if (!isJsonObject(properties)) throw OPEN;
    for (const sub of Object.values(properties)) places += count(sub, inArray, counting);
  }
  if (types.includes("array")) {
    if (!isJsonObject(node.items)) throw OPEN;
    places += count(node.items, true, counting);
  }
  return places;
}
