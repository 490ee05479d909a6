/**
 * The part of validate-and-parse that checks a value already read from the text (or given as a value):
 * the validator, and when it fails the coercion against the schema and a second validation. Failure
 * issues describe the value *before coercion*, so they say what the model produced, never values made up
 * while trying; `repairs` still lists what was tried. The pipeline (pipeline.ts) extends it.
 */
import type { JsonSchema } from "../json.js";
import type { ErrorObject } from "../validate/ajv.js";
import {
  type CoerceContext,
  type Coercer,
  CoercionTooDeep,
  coerceOutput,
  coerceValue,
  dirtyPaths,
} from "./coerce.js";
import { coerceWithPlan, compileCoercePlan, type PlanNode } from "./coerce-plan.js";
import { schemaDepthBound, valueNestingExceeds } from "./depth.js";
import { issuesFromAjv } from "./issues.js";
import {
  failure,
  invalidUnicode,
  type ParseFailure,
  type ParseResult,
  tooDeep,
  tooManyRepairs,
} from "./outcomes.js";
import type { ParserOptions } from "./pipeline.js";
import { type Repair, TooManyRepairs } from "./repairs.js";
import { findLoneSurrogate, mayHoldLoneSurrogate } from "./unicode.js";
import type { Validators } from "./validators.js";

/** Validation and coercion of parsed values for one schema. */
export class ValueCheck {
  private readonly cache = new WeakMap<object, unknown>();
  private readonly plans = new WeakMap<object, readonly Coercer[]>();
  /** False when the schema itself bounds nesting within maxDepth: then the hot path measures nothing. */
  protected readonly checkDepth: boolean;
  /**
   * False when the validators themselves reject lone surrogates in every string a valid value can hold
   * (free-text.ts); true when an accepted value's text must be screened for them.
   */
  protected readonly screenText: boolean;
  /** The compiled coercion walk (null: the schema needs the generic pass); compiled on first use. */
  private coercePlan: PlanNode | null | undefined;

  constructor(
    readonly schema: JsonSchema,
    protected readonly validators: Validators,
    protected readonly options: Required<ParserOptions>,
  ) {
    this.checkDepth = schemaDepthBound(schema, options.maxSchemaWork) > options.maxDepth;
    this.screenText = !validators.checksStrings;
  }

  /** `text` is the text the value came from (screened for lone surrogates); undefined for value input. */
  protected coerceAndCheck(
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
  protected coerceByPlan(
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

  protected tooDeepBefore(repairs: Repair[], count: number): ParseFailure {
    repairs.length = count;
    return tooDeep(this.options.maxDepth, repairs);
  }

  /** The end of the tolerant track once the (coerced) value validates, or a validator failure. */
  protected accepted(
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

  protected context(repairs: Repair[], truncated: boolean): CoerceContext {
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

  protected coerce(value: unknown, repairs: Repair[], truncated: boolean, dirty: Set<string>): unknown {
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
  protected allErrors(value: unknown): readonly ErrorObject[] | undefined {
    const full = this.validators.full();
    try {
      return full(value) ? [] : (full.errors ?? []);
    } catch (err) {
      if (err instanceof RangeError) return undefined;
      throw err;
    }
  }

  protected strictInvalid(value: unknown): ParseFailure {
    const errors = this.allErrors(value);
    return errors === undefined ? tooDeep(this.options.maxDepth) : this.invalid(value, errors, []);
  }

  /** A failure whose issues describe `original` (the value before coercion). */
  protected invalid(original: unknown, errors: readonly ErrorObject[], repairs: Repair[]): ParseFailure {
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
  protected validate(value: unknown): boolean | ParseFailure {
    try {
      return this.validators.fast(value) as boolean;
    } catch (err) {
      return this.stackFailure(err);
    }
  }

  protected stackFailure(err: unknown): ParseFailure {
    if (err instanceof RangeError) return tooDeep(this.options.maxDepth);
    throw err;
  }

  /** Turns the tolerant track's internal limits into typed failures carrying the repairs made so far. */
  protected limitFailure(err: unknown, repairs: Repair[]): ParseResult {
    if (err instanceof TooManyRepairs) return tooManyRepairs(repairs);
    if (err instanceof CoercionTooDeep) return tooDeep(err.limit, repairs);
    if (err instanceof RangeError) return tooDeep(this.options.maxDepth, repairs);
    throw err;
  }
}
