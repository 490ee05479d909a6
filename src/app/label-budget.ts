/** The label value that stands for every value past a budget. */
export const OTHER_LABEL = "(other)";

/** Longest label value kept; longer ones are cut (and end in "…"). */
export const MAX_LABEL_LENGTH = 200;

/**
 * Bounds the values of one metric label that come from callers (subjects, JSON Pointer paths, models): the
 * first `max` distinct values are kept, every later one is counted as "(other)", and each value is cut at
 * MAX_LABEL_LENGTH characters. So no caller can create unbounded series, nor huge ones.
 */
export class LabelBudget {
  private readonly seen = new Set<string>();

  constructor(private readonly max: number) {}

  /** The label value to use for `value`. */
  label(value: string): string {
    const cut = value.length > MAX_LABEL_LENGTH ? `${value.slice(0, MAX_LABEL_LENGTH - 1)}…` : value;
    if (this.seen.has(cut)) return cut;
    if (this.seen.size >= this.max) return OTHER_LABEL;
    this.seen.add(cut);
    return cut;
  }
}

/** Default budget of subject label values per metric family. */
export const MAX_SUBJECT_LABELS = 1000;
