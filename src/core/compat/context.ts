import type { WorkBudget } from "../work-budget.js";
import type { View } from "./schema-view.js";

/** A difference whose path is still a list of unescaped segments. */
export interface RawDifference {
  readonly kind: string;
  readonly segments: readonly string[];
  /** Assumed at a recursion point (a repeat of a difference reported where the cycle starts). */
  readonly recursive?: boolean;
}

/** Compares two (optional) views in a context: the recursive entry point differs call back into. */
export type CompareFn = (ctx: Context, original: View | undefined, update: View | undefined) => void;

/**
 * State shared by every context of one comparison pass: the policy's allowed set (some judgements
 * depend on it, as in Confluent), memoised pair results (paths relative to the pair) and the pairs
 * on the current stack, which is what makes recursive schemas terminate.
 */
export interface Session {
  readonly allowed: ReadonlySet<string>;
  readonly compare: CompareFn;
  readonly memo: Map<number, readonly RawDifference[]>;
  readonly active: Set<number>;
  /** Results of the previous pass, assumed for pairs met again while still on the stack. */
  readonly previous: ReadonlyMap<number, readonly RawDifference[]>;
  /** For each pair cut short by recursion: whether the assumed result was compatible. */
  readonly assumptions: Map<number, boolean>;
  /** Charged per pair compared and per difference recorded or copied (work-budget.ts). */
  readonly budget: WorkBudget;
}

/** True when every difference is in the allowed set. */
export function allAllowed(diffs: readonly RawDifference[], allowed: ReadonlySet<string>): boolean {
  for (const d of diffs) if (!allowed.has(d.kind)) return false;
  return true;
}

/** Where the differ is (a JSON path) and what it found there; Confluent's diff Context. */
export class Context {
  readonly diffs: RawDifference[] = [];
  readonly path: string[];
  readonly session: Session;

  constructor(session: Session, path: string[]) {
    this.session = session;
    this.path = path;
  }

  /**
   * A fresh context at the same path, for trial comparisons whose outcome decides what is reported.
   * It shares the path array: comparisons nest strictly and `within` restores the path on the way out.
   */
  sub(): Context {
    return new Context(this.session, this.path);
  }

  /** Runs `fn` with `segments` appended to the path. */
  within(segments: readonly string[], fn: () => void): void {
    const depth = this.path.length;
    this.path.push(...segments);
    try {
      fn();
    } finally {
      this.path.length = depth;
    }
  }

  /** Records a difference at the current path (plus `segments`, e.g. the keyword). */
  add(kind: string, ...segments: string[]): void {
    this.session.budget.charge();
    this.diffs.push({ kind, segments: segments.length === 0 ? [...this.path] : [...this.path, ...segments] });
  }

  /** Adds differences found by another context (their paths are already absolute). */
  addAll(diffs: readonly RawDifference[]): void {
    this.session.budget.charge(diffs.length);
    for (const d of diffs) this.diffs.push(d);
  }

  /** Adds differences whose paths are relative to the current path. */
  addRelative(diffs: readonly RawDifference[]): void {
    // A memoised pair met again re-reports its differences at this path: under a definition reached by
    // exponentially many paths that is where the work goes, so each copied difference is charged.
    this.session.budget.charge(diffs.length);
    for (const d of diffs) {
      const segments = [...this.path, ...d.segments];
      this.diffs.push(d.recursive ? { kind: d.kind, segments, recursive: true } : { kind: d.kind, segments });
    }
  }

  /** True when everything found so far is in the allowed set. */
  isCompatible(): boolean {
    return allAllowed(this.diffs, this.session.allowed);
  }

  /** Compares two views here (recursion back into the top-level differ). */
  compare(original: View | undefined, update: View | undefined): void {
    this.session.compare(this, original, update);
  }
}
