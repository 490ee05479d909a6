/**
 * The recursive heart of the differ: a port of Confluent's SchemaDiff.compare (references resolved,
 * unions and intersections met by a single schema, family change, annotations, then the family's
 * differ), plus memoisation per (original, update) pair and a fixed-point loop so recursive schemas
 * terminate with a sound verdict.
 */
import type { JsonValue } from "../json.js";
import { budgetFor, type WorkBudget } from "../work-budget.js";
import { allAllowed, Context, type RawDifference, type Session } from "./context.js";
import { runDiffer } from "./differ-table.js";
import { jsonEquals } from "./json-equal.js";
import { dereference } from "./ref.js";
import { type CombinedView, createDocument, type Meta, type View, viewOf } from "./schema-view.js";

/** Enough passes for any realistic chain of recursive pairs whose verdicts flip; each pass is polynomial. */
const MAX_PASSES = 16;
const PAIR_FACTOR = 2 ** 26;
/** One pair may report at most budget / this many differences (65,536 under the default budget). */
const DIFFERENCES_PER_BUDGET = 16;

/**
 * All differences found reading data written with `original` using `update` (one direction). Each pair
 * of views is compared once per pass (memoised), so `$ref` targets are not re-walked; every pass shares
 * one budget (a number is a limit; a WorkBudget is used as is) and passing it throws SR_SCHEMA_TOO_COMPLEX.
 */
export function diffSchemas(
  original: JsonValue,
  update: JsonValue,
  allowed: ReadonlySet<string>,
  budget?: WorkBudget | number,
): RawDifference[] {
  const work = budgetFor("compatibility diff", budget);
  const ids = { next: 0 };
  const originalView = viewOf(createDocument(original, ids), original);
  const updateView = viewOf(createDocument(update, ids), update);
  let previous: ReadonlyMap<number, readonly RawDifference[]> = new Map();
  let diffs: RawDifference[] = [];
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const session: Session = {
      allowed,
      compare: compareViews,
      memo: new Map(),
      active: new Set(),
      previous,
      assumptions: new Map(),
      budget: work,
    };
    const ctx = new Context(session, []);
    compareViews(ctx, originalView, updateView);
    diffs = ctx.diffs;
    if (assumptionsHeld(session)) break;
    // A pair cut short by recursion was assumed compatible (or not) and turned out otherwise: redo with
    // this pass's results as the new assumptions (greatest fixed point, as Confluent does).
    previous = session.memo;
  }
  return diffs.filter((d) => d.recursive !== true);
}

function assumptionsHeld(session: Session): boolean {
  for (const [key, assumed] of session.assumptions) {
    const actual = session.memo.get(key);
    if (actual !== undefined && allAllowed(actual, session.allowed) !== assumed) return false;
  }
  return true;
}

/** Compares two optional views at the context's path (the `compare` every differ recurses through). */
export function compareViews(ctx: Context, original: View | undefined, update: View | undefined): void {
  if (original === undefined && update === undefined) return;
  if (original === undefined || update === undefined) {
    ctx.add(original === undefined ? "SCHEMA_ADDED" : "SCHEMA_REMOVED");
    return;
  }
  const o = dereference(original);
  const u = dereference(update);
  if (o.family === "unresolved" || u.family === "unresolved") {
    // Not a Confluent kind (Confluent cannot even load such a schema): a dangling $ref is never compatible.
    const same = o.family === "unresolved" && u.family === "unresolved" && o.ref === u.ref;
    if (!same) ctx.add("REFERENCE_UNRESOLVED");
    return;
  }
  comparePair(ctx, o, u);
}

function comparePair(ctx: Context, o: View, u: View): void {
  const session = ctx.session;
  // Both sides draw ids from one counter, far below 2^26, so the pair packs into one exact number.
  const key = o.id * PAIR_FACTOR + u.id;
  session.budget.charge();
  const known = session.memo.get(key);
  if (known !== undefined) {
    ctx.addRelative(known);
    return;
  }
  if (session.active.has(key)) {
    // Recursion: this very pair is being compared further up the stack.
    const assumed = session.previous.get(key) ?? [];
    session.assumptions.set(key, allAllowed(assumed, session.allowed));
    // Marked so the final list can drop them: the same differences are reported where the cycle starts.
    ctx.addRelative(assumed.map((d) => ({ ...d, recursive: true })));
    return;
  }
  session.budget.expand(o, u);
  session.active.add(key);
  const local = ctx.sub();
  try {
    compareResolved(local, o, u);
  } finally {
    session.active.delete(key);
  }
  const base = ctx.path.length;
  session.budget.charge(local.diffs.length);
  // A pair's list only grows past this when differences repeat under exponentially many `$ref` paths
  // (a recursive schema's lists stay small): refusing here costs a fraction of the whole budget.
  if (local.diffs.length > session.budget.limit / DIFFERENCES_PER_BUDGET) session.budget.exhaust();
  const relative = local.diffs.map((d) => ({ ...d, segments: d.segments.slice(base) }));
  session.memo.set(key, relative);
  ctx.addAll(local.diffs);
}

function compareResolved(ctx: Context, o: View, u: View): void {
  if (compareAcrossCombination(ctx, o, u)) return;
  if (o.family !== u.family) {
    // `false` accepted nothing, and `{}`/`true` accepts everything: neither side of that is a change.
    if (o.family !== "false" && u.family !== "empty") ctx.add("TYPE_CHANGED");
    return;
  }
  compareMeta(ctx, o.meta, u.meta);
  runDiffer(ctx, o, u);
}

/**
 * A single schema against a combination: a union (anyOf/oneOf) in the update that has a branch the
 * original fits is SUM_TYPE_EXTENDED; an intersection in the original with a member the update fits is
 * PRODUCT_TYPE_NARROWED; singleton combinations are looked through. True when that settled the pair.
 */
function compareAcrossCombination(ctx: Context, o: View, u: View): boolean {
  if (o.family !== "combined" && u.family === "combined") {
    return fitsAny(ctx, u, (sub) => [o, sub], u.criterion === "allOf" ? undefined : "SUM_TYPE_EXTENDED");
  }
  if (o.family === "combined" && u.family !== "combined") {
    return fitsAny(ctx, o, (sub) => [sub, u], o.criterion === "allOf" ? "PRODUCT_TYPE_NARROWED" : undefined);
  }
  return false;
}

function fitsAny(
  ctx: Context,
  combined: CombinedView,
  pair: (sub: View) => [View, View],
  kind: string | undefined,
): boolean {
  const subs = combined.subschemas();
  if (subs.length !== 1 && kind === undefined) return false;
  for (const sub of subs) {
    const trial = ctx.sub();
    const [a, b] = pair(sub);
    trial.compare(a, b);
    if (!trial.isCompatible()) continue;
    ctx.addAll(trial.diffs);
    if (subs.length !== 1 && kind !== undefined) ctx.add(kind);
    return true;
  }
  return false;
}

function compareMeta(ctx: Context, o: Meta | undefined, u: Meta | undefined): void {
  if (!jsonEquals(o?.id, u?.id)) ctx.add("ID_CHANGED");
  if (!jsonEquals(o?.title, u?.title)) ctx.add("TITLE_CHANGED");
  if (!jsonEquals(o?.description, u?.description)) ctx.add("DESCRIPTION_CHANGED");
  if (!jsonEquals(o?.default, u?.default)) ctx.add("DEFAULT_CHANGED");
}
