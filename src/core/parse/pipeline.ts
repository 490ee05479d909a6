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
import type { ErrorObject } from "../validate/ajv.js";
import { DEFAULT_SCHEMA_WORK_LIMIT } from "../work-budget.js";
import {
  type CoerceContext,
  type Coercer,
  CoercionTooDeep,
  coerceOutput,
  coerceValue,
  dirtyPaths,
} from "./coerce.js";
import { coerceWithPlan, compileCoercePlan, type PlanNode } from "./coerce-plan.js";
import { schemaDepthBound, textNestingExceeds, valueNestingExceeds } from "./depth.js";
import { extractJson } from "./extract.js";
import { issuesFromAjv } from "./issues.js";
import {
  failure,
  invalidJson,
  invalidUnicode,
  NO_REPAIRS,
  noJson,
  type ParseFailure,
  type ParseResult,
  syntaxErrorOffset,
  tooDeep,
  tooLarge,
  tooManyRepairs,
} from "./outcomes.js";
import { looksLikeRefusal } from "./refusal.js";
import { repairJson } from "./repair-json.js";
import { addRepair, type Repair, TooManyRepairs } from "./repairs.js";
import { isResponsesObject, type ModelOutput, normalizeModelOutput } from "./responses.js";
import { openStream, type StreamParser } from "./stream-parser.js";
import { SlotTable } from "./stream-slots.js";
import { findLoneSurrogate, holdsLoneSurrogate, mayHoldLoneSurrogate } from "./unicode.js";
import { compileValidators, type Validators } from "./validators.js";

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

// The parser is the pipeline itself: no wrapper call on the hot path.
class Pipeline implements Parser {
  private readonly cache = new WeakMap<object, unknown>();
  private readonly plans = new WeakMap<object, readonly Coercer[]>();
  /** False when the schema itself bounds nesting within maxDepth: then the hot path measures nothing. */
  private readonly checkDepth: boolean;
  /**
   * False when the validators themselves reject lone surrogates in every string a valid value can hold
   * (free-text.ts); true when an accepted value's text must be screened for them.
   */
  private readonly screenText: boolean;
  /** The compiled coercion walk (null: the schema needs the generic pass); compiled on first use. */
  private coercePlan: PlanNode | null | undefined;
  /** What partial values may show, per schema node; built on the first stream. */
  private slots: SlotTable | undefined;

  constructor(
    readonly schema: JsonSchema,
    private readonly validators: Validators,
    private readonly options: Required<ParserOptions>,
  ) {
    this.checkDepth = schemaDepthBound(schema, options.maxSchemaWork) > options.maxDepth;
    this.screenText = !validators.checksStrings;
  }

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

  /** `text` is the text the value came from (screened for lone surrogates); undefined for value input. */
  private coerceAndCheck(
    value: unknown,
    repairs: Repair[],
    truncated: boolean,
    text: string | undefined,
  ): ParseResult {
    // Extraction and syntax repair often leave a valid value: then there is nothing to coerce.
    let valid = this.validate(value);
    let coerced = value;
    if (valid === false) {
      this.coercePlan ??=
        compileCoercePlan(this.schema, this.options.maxDepth, this.options.maxSchemaWork) ?? null;
      if (this.coercePlan !== null)
        return this.coerceByPlan(value, this.coercePlan, repairs, truncated, text);
      const errors = this.allErrors(value);
      if (errors === undefined) return tooDeep(this.options.maxDepth, repairs);
      coerced = this.coerce(value, repairs, truncated, dirtyPaths(errors.map((e) => e.instancePath)));
      valid = this.validate(coerced);
      if (valid === false) return this.invalid(value, errors, repairs);
    }
    return this.accepted(valid, coerced, repairs, text);
  }

  /**
   * PERFORMANCE: coerce along the compiled plan first and run the all-errors validator only when the
   * coerced value still fails (the issues describe the value before coercion, as on the generic path).
   * Wherever the generic path would have stopped at that validator (a stack overflow: `too_deep` with
   * the repairs made before coercion), this path checks it and does too.
   */
  private coerceByPlan(
    value: unknown,
    plan: PlanNode,
    repairs: Repair[],
    truncated: boolean,
    text: string | undefined,
  ): ParseResult {
    const before = repairs.length;
    let coerced: unknown;
    try {
      coerced = coerceWithPlan(value, plan, this.context(repairs, truncated));
    } catch (err) {
      if (this.allErrors(value) === undefined) return this.tooDeepBefore(repairs, before);
      throw err;
    }
    const valid = this.validate(coerced);
    if (valid !== true) {
      const errors = this.allErrors(value);
      if (errors === undefined) return this.tooDeepBefore(repairs, before);
      if (valid !== false) return valid;
      return this.invalid(value, errors, repairs);
    }
    return this.accepted(valid, coerced, repairs, text);
  }

  private tooDeepBefore(repairs: Repair[], count: number): ParseFailure {
    repairs.length = count;
    return tooDeep(this.options.maxDepth, repairs);
  }

  /** The end of the tolerant track once the (coerced) value validates, or a validator failure. */
  private accepted(
    valid: boolean | ParseFailure,
    coerced: unknown,
    repairs: Repair[],
    text: string | undefined,
  ): ParseResult {
    if (valid !== true) return valid as ParseFailure;
    if (this.checkDepth && valueNestingExceeds(coerced, this.options.maxDepth)) {
      return tooDeep(this.options.maxDepth, repairs);
    }
    const screen = this.screenText && (text === undefined || mayHoldLoneSurrogate(text));
    const bad = screen ? findLoneSurrogate(coerced) : undefined;
    return bad === undefined
      ? { ok: true, data: coerced, repairs, track: "tolerant" }
      : invalidUnicode(bad, repairs);
  }

  private context(repairs: Repair[], truncated: boolean): CoerceContext {
    return {
      root: this.schema,
      repairs,
      fillNulls: !truncated,
      maxDepth: this.options.maxDepth,
      cache: this.cache,
      plans: this.plans,
      dirty: undefined,
      recurse: coerceValue,
    };
  }

  private coerce(value: unknown, repairs: Repair[], truncated: boolean, dirty: Set<string>): unknown {
    return coerceOutput(value, this.schema, {
      repairs,
      fillNulls: !truncated,
      maxDepth: this.options.maxDepth,
      cache: this.cache,
      plans: this.plans,
      dirty,
    });
  }

  /** Every error of the output as the model wrote it; undefined when validating it overflows the stack. */
  private allErrors(value: unknown): readonly ErrorObject[] | undefined {
    const full = this.validators.full();
    try {
      return full(value) ? [] : (full.errors ?? []);
    } catch (err) {
      if (err instanceof RangeError) return undefined;
      throw err;
    }
  }

  private strictInvalid(value: unknown): ParseFailure {
    const errors = this.allErrors(value);
    return errors === undefined ? tooDeep(this.options.maxDepth) : this.invalid(value, errors, []);
  }

  /** A failure whose issues describe `original` (the value before coercion). */
  private invalid(original: unknown, errors: readonly ErrorObject[], repairs: Repair[]): ParseFailure {
    const issues = issuesFromAjv(errors, original);
    if (issues.length > 0) return failure("invalid", issues, repairs);
    const message = "output does not match the schema";
    return failure(
      "invalid",
      [{ code: "schema_mismatch", path: "", keyword: "", params: {}, message }],
      repairs,
    );
  }

  /** Runs the fast validator; a stack overflow (recursive schema, absurd nesting) is a typed failure. */
  private validate(value: unknown): boolean | ParseFailure {
    try {
      return this.validators.fast(value) as boolean;
    } catch (err) {
      return this.stackFailure(err);
    }
  }

  private stackFailure(err: unknown): ParseFailure {
    if (err instanceof RangeError) return tooDeep(this.options.maxDepth);
    throw err;
  }

  /** Turns the tolerant track's internal limits into typed failures carrying the repairs made so far. */
  private limitFailure(err: unknown, repairs: Repair[]): ParseResult {
    if (err instanceof TooManyRepairs) return tooManyRepairs(repairs);
    if (err instanceof CoercionTooDeep) return tooDeep(err.limit, repairs);
    if (err instanceof RangeError) return tooDeep(this.options.maxDepth, repairs);
    throw err;
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
