/**
 * A bound on the work of one schema walk: every walk that follows `$ref`s or compares two schemas
 * (depth bound, coercion plan, free-text count, compatibility diff) charges one unit per schema node it
 * expands, per reference or memo hit it follows, and (diffs) per pair compared and difference recorded.
 *
 * The walks are linear (each `$ref` target is expanded once, recursion is cut), so the budget is a safety
 * net, not a tuning knob: the limit equals the schema size limit in bytes (STRUCTREG_MAX_SCHEMA_BYTES,
 * 1 MiB by default), and every schema node takes several bytes of JSON text, so a linear walk over any
 * schema within the size limit stays below it. What passes it is a walk whose work is not linear in the
 * text: a diff whose differences repeat under a definition reached by exponentially many paths, or many
 * combinations compared pairwise. Each walk gets its own budget; passing it throws SR_SCHEMA_TOO_COMPLEX.
 * The diff also refuses as soon as one pair of nodes has more than limit / 16 differences (65,536 by
 * default): only repetition under exponentially many paths makes one pair's list that long, and cutting
 * there spends a fraction of the budget.
 */
import { StructregError } from "./errors.js";
import { DEFAULT_LIMITS } from "./schema/limits.js";

/** The default work limit of one walk: the default schema size limit, one unit per byte (see above). */
export const DEFAULT_SCHEMA_WORK_LIMIT = DEFAULT_LIMITS.maxSchemaBytes;

/** Options of a budget. */
export interface WorkBudgetOptions {
  /** Units the walk may spend; default DEFAULT_SCHEMA_WORK_LIMIT. */
  limit?: number;
  /**
   * Called each time a walk expands a schema node, or (`other` given) a compatibility diff compares a pair
   * of nodes for the first time: tests count expansions per `$ref` target with it.
   */
  onExpand?: (node: object, other?: object) => void;
}

/** The work counter of one walk; `walk` names it in the refusal ("compatibility diff", …). */
export class WorkBudget {
  readonly limit: number;
  private spent = 0;
  private readonly onExpand: ((node: object, other?: object) => void) | undefined;

  constructor(
    readonly walk: string,
    options: WorkBudgetOptions = {},
  ) {
    this.limit = options.limit ?? DEFAULT_SCHEMA_WORK_LIMIT;
    this.onExpand = options.onExpand;
  }

  /** Units spent so far. */
  get used(): number {
    return this.spent;
  }

  /** Spends `units`; throws SR_SCHEMA_TOO_COMPLEX once more than the limit is spent. */
  charge(units = 1): void {
    this.spent += units;
    if (this.spent > this.limit) throw schemaTooComplex(this.walk, this.limit);
  }

  /** Ends the walk with the same refusal, before the budget is spent (a walk that can tell it would be). */
  exhaust(): never {
    throw schemaTooComplex(this.walk, this.limit);
  }

  /** Records the expansion of one schema node, or of a pair of them (one unit). */
  expand(node: object, other?: object): void {
    this.onExpand?.(node, other);
    this.charge();
  }
}

/** The refusal of a walk that passed its budget. */
export function schemaTooComplex(walk: string, limit: number): StructregError {
  return new StructregError(
    "SR_SCHEMA_TOO_COMPLEX",
    `Schema is too complex: the ${walk} passed its work limit of ${limit} steps (schema nodes expanded, $refs followed, pairs compared and differences recorded).`,
    {
      details: { walk, limit },
      hint: "Reference shared definitions from fewer places (a $defs chain whose nodes each reference the next one several times multiplies the paths through it), or raise STRUCTREG_MAX_SCHEMA_BYTES, which also sets this limit.",
    },
  );
}

/** True for the refusal `schemaTooComplex` makes. */
export function isSchemaTooComplex(err: unknown): err is StructregError {
  return err instanceof StructregError && err.code === "SR_SCHEMA_TOO_COMPLEX";
}

/** A budget for `walk`, or `given` when the caller passes its own (tests count with it). */
export function budgetFor(walk: string, given: WorkBudget | number | undefined): WorkBudget {
  if (given instanceof WorkBudget) return given;
  return new WorkBudget(walk, given === undefined ? {} : { limit: given });
}
