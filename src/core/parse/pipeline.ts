/**
 * validate-and-parse for one schema version: the strict track (`JSON.parse` + the compiled validator)
 * and, only when it fails, the tolerant track (extract → JSON.parse, else repair → coerce → re-validate).
 *
 * Failure issues come from validating the value *before coercion* (after extraction and syntax repair),
 * so they describe what the model produced, never values structreg made up while trying; `repairs`
 * still lists what was tried. Truncated text is closed but never filled: after a truncation repair a
 * missing nullable property is not set to `null`, so required-missing fails as it should.
 */
import type { JsonSchema } from "../json.js";
import { DEFAULT_SCHEMA_WORK_LIMIT } from "../work-budget.js";
import { textNestingExceeds, valueNestingExceeds } from "./depth.js";
import { extractJson } from "./extract.js";
import {
  failure,
  invalidJson,
  invalidUnicode,
  NO_REPAIRS,
  noJson,
  type ParseResult,
  syntaxErrorOffset,
  tooDeep,
  tooLarge,
} from "./outcomes.js";
import { looksLikeRefusal } from "./refusal.js";
import { repairJson } from "./repair-json.js";
import { addRepair, type Repair } from "./repairs.js";
import { isResponsesObject, type ModelOutput, normalizeModelOutput } from "./responses.js";
import { openStream, type StreamParser } from "./stream-parser.js";
import { SlotTable } from "./stream-slots.js";
import { findLoneSurrogate, holdsLoneSurrogate, mayHoldLoneSurrogate } from "./unicode.js";
import { compileValidators } from "./validators.js";
import { ValueCheck } from "./value-check.js";

/** Options of a parser. */
export interface ParserOptions {
  /**
   * Longest accepted text, counted in UTF-16 code units (`string.length`, O(1); equal to bytes for ASCII
   * JSON). Default 1 MiB: twice the ~128k-token ceiling of today's models, and far below hostile sizes.
   */
  maxBytes?: number;
  /** Deepest nesting the tolerant track reads (the strict track relies on the validator). Default 64. */
  maxDepth?: number;
  /** Run the tolerant track when the strict one fails. Default true. */
  tolerant?: boolean;
  /**
   * Work limit of each walk over the schema (depth bound, coercion plan, free-text count): see
   * work-budget.ts. Past it the parser takes the safe path (measure depth, generic coercion, screen text)
   * instead. Default DEFAULT_SCHEMA_WORK_LIMIT (the default schema size limit in bytes).
   */
  maxSchemaWork?: number;
}

/** A compiled validate-and-parse function for one schema. */
export interface Parser {
  /** Parses model text, an already-parsed value, or a whole Responses API response object. */
  parse(raw: unknown): ParseResult;
  /** Parses output already normalised by `normalizeModelOutput`. */
  parseModelOutput(output: ModelOutput): ParseResult;
  /** A stream of one output's text deltas: partial values as they form, then this parser's outcome. */
  stream(): StreamParser;
  readonly schema: JsonSchema;
}

export const DEFAULT_MAX_BYTES = 1024 * 1024;
export const DEFAULT_MAX_DEPTH = 64;
const MAX_DECODES = 2;
const NOT_PARSED: unique symbol = Symbol("not parsed");
type Parsed = unknown | typeof NOT_PARSED;

/** Compiles `schema` once (StructregError SR_INVALID_SCHEMA if it cannot) and returns its parser. */
export function createParser(schema: JsonSchema, options: ParserOptions = {}): Parser {
  const maxSchemaWork = options.maxSchemaWork ?? DEFAULT_SCHEMA_WORK_LIMIT;
  return new Pipeline(schema, compileValidators(schema, maxSchemaWork), {
    maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
    maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
    tolerant: options.tolerant ?? true,
    maxSchemaWork,
  });
}

/** `createParser(schema, options).stream()`: compile once per schema and keep the parser when streaming many outputs. */
export function createStreamParser(schema: JsonSchema, options?: ParserOptions): StreamParser {
  return createParser(schema, options).stream();
}

/** One-shot validate-and-parse (compiles the schema on every call: keep a `createParser` for reuse). */
export function parseOutput(schema: JsonSchema, raw: unknown, options?: ParserOptions): ParseResult {
  return createParser(schema, options).parse(raw);
}

// The parser is the pipeline itself (no wrapper call on the hot path); checking a value it got out of the
// text (validate, coerce, re-validate, issues) is its base class's part (value-check.ts).
class Pipeline extends ValueCheck implements Parser {
  /** What partial values may show, per schema node; built on the first stream. */
  private slots: SlotTable | undefined;

  parse(raw: unknown): ParseResult {
    if (typeof raw === "string") return this.parseText(raw);
    if (isResponsesObject(raw)) return this.parseModelOutput(normalizeModelOutput(raw));
    return this.parseValue(raw);
  }

  stream(): StreamParser {
    this.slots ??= new SlotTable(this.schema);
    return openStream({
      parse: (text) => this.parse(text),
      parseParsed: (value, text, mayHoldLone) => this.parseParsed(value, text, mayHoldLone),
      slots: this.slots.root,
      maxBytes: this.options.maxBytes,
      maxDepth: this.options.maxDepth,
    });
  }

  parseModelOutput(output: ModelOutput): ParseResult {
    switch (output.kind) {
      case "text":
        return this.parseText(output.text);
      case "value":
        return this.parseValue(output.value);
      case "refusal":
        return noJson(output.refusal);
      case "incomplete": {
        const message = `the response is incomplete (${output.reason})`;
        return failure("incomplete", [{ code: "incomplete", path: "", reason: output.reason, message }]);
      }
      case "failed":
        return failure("failed", [
          { code: "response_failed", path: "", error: output.error, message: "the response failed" },
        ]);
    }
  }

  /** The hot path: one JSON.parse and one validator call; the unicode walk runs only on rare texts. */
  private parseText(text: string): ParseResult {
    if (text.length > this.options.maxBytes) return tooLarge(text.length, this.options.maxBytes);
    // Prose and fences cannot be JSON: skip the throw (a SyntaxError costs microseconds) when the
    // first character rules JSON out.
    if (!mayStartJson(text.charCodeAt(0))) return this.afterStrict(text, NOT_PARSED, undefined);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      return this.afterStrict(text, NOT_PARSED, err);
    }
    return (
      this.parseParsed(
        value,
        () => text,
        () => mayHoldLoneSurrogate(text),
      ) ?? this.afterStrict(text, value, undefined)
    );
  }

  /**
   * The strict track after `JSON.parse(text())` gave `value`: its outcome, or undefined when the validator
   * rejects the value (the tolerant track's turn). `text` is asked for only when the depth must be checked
   * on it (a stream's text is joined only then); `mayHoldLone` screens for lone surrogates soundly (false
   * only when the value holds none).
   */
  parseParsed(value: unknown, text: () => string, mayHoldLone: () => boolean): ParseResult | undefined {
    const valid = this.validate(value);
    if (valid === true) {
      if (this.checkDepth && textNestingExceeds(text(), this.options.maxDepth))
        return tooDeep(this.options.maxDepth);
      const bad = this.screenText && mayHoldLone() ? findLoneSurrogate(value) : undefined;
      return bad === undefined
        ? { ok: true, data: value, repairs: NO_REPAIRS, track: "strict" }
        : invalidUnicode(bad);
    }
    return valid === false ? undefined : valid;
  }

  private parseValue(value: unknown): ParseResult {
    const valid = this.validate(value);
    if (valid === true) {
      if (this.checkDepth && valueNestingExceeds(value, this.options.maxDepth))
        return tooDeep(this.options.maxDepth);
      // No text to screen: walk the value (its depth is bounded by now) unless the validator checked it.
      const bad = this.screenText && holdsLoneSurrogate(value) ? findLoneSurrogate(value) : undefined;
      return bad === undefined
        ? { ok: true, data: value, repairs: NO_REPAIRS, track: "strict" }
        : invalidUnicode(bad);
    }
    if (valid !== false) return valid;
    if (!this.options.tolerant) return this.strictInvalid(value);
    const repairs: Repair[] = [];
    try {
      return this.coerceAndCheck(value, repairs, false, undefined);
    } catch (err) {
      return this.limitFailure(err, repairs);
    }
  }

  private afterStrict(text: string, parsed: Parsed, syntaxError: unknown): ParseResult {
    if (this.options.tolerant) {
      const repairs: Repair[] = [];
      try {
        return this.tolerant(text, parsed, repairs, 0);
      } catch (err) {
        return this.limitFailure(err, repairs);
      }
    }
    if (parsed !== NOT_PARSED) return this.strictInvalid(parsed);
    if (!text.includes("{")) return noJson(looksLikeRefusal(text) ? text : undefined);
    return invalidJson(syntaxErrorOffset(syntaxError), "not valid JSON");
  }

  private tolerant(text: string, parsed: Parsed, repairs: Repair[], decodes: number): ParseResult {
    if (typeof parsed === "string" && decodes < MAX_DECODES && parsed.trimStart().startsWith("{")) {
      addRepair(repairs, { kind: "decoded_string", path: "" });
      return this.tolerant(parsed, tryParse(parsed), repairs, decodes + 1);
    }
    if (parsed !== NOT_PARSED) return this.coerceAndCheck(parsed, repairs, false, text);
    const found = extractJson(text, this.options.maxDepth);
    if (!found.ok) {
      if (found.reason === "too_deep") return tooDeep(found.limit, repairs);
      return noJson(looksLikeRefusal(text) ? text : undefined, repairs);
    }
    repairs.push(...found.repairs);
    const direct = tryParse(found.span);
    if (direct !== NOT_PARSED) return this.coerceAndCheck(direct, repairs, false, text);
    const fixed = repairJson(found.span, this.options.maxDepth, repairs);
    if (!fixed.ok) {
      return fixed.reason === "too_deep"
        ? tooDeep(fixed.limit, repairs)
        : invalidJson(fixed.offset, fixed.message, repairs);
    }
    return this.coerceAndCheck(fixed.value, repairs, fixed.truncated, text);
  }
}

/** False for characters no JSON text starts with (letters other than t/f/n, backticks, …). */
function mayStartJson(c: number): boolean {
  if (c === 0x7b || c === 0x5b || c === 0x22 || c === 0x2d || (c >= 0x30 && c <= 0x39)) return true;
  if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) return true;
  return c === 0x74 || c === 0x66 || c === 0x6e;
}

function tryParse(text: string): Parsed {
  try {
    return JSON.parse(text);
  } catch {
    return NOT_PARSED;
  }
}
