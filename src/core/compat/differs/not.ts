import type { Context } from "../context.js";
import { type NotView, viewOf } from "../schema-view.js";

/**
 * `not`: the excluded schemas are compared in reverse (excluding less is accepting more), and only the
 * verdict is reported, as NOT_TYPE_NARROWED (compatible) or NOT_TYPE_EXTENDED.
 */
export function compareNots(ctx: Context, original: NotView, update: NotView): void {
  ctx.within(["not"], () => {
    const trial = ctx.sub();
    trial.compare(viewOf(update.doc, update.mustNotMatch), viewOf(original.doc, original.mustNotMatch));
    ctx.add(trial.isCompatible() ? "NOT_TYPE_NARROWED" : "NOT_TYPE_EXTENDED");
  });
}
