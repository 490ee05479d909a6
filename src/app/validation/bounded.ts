/**
 * Keeps what a failure echoes back serialisable: a failed Responses object's `error` is copied into the
 * issue as is, and a hostile one (100,000 levels, millions of nodes) would overflow JSON.stringify in
 * the HTTP answer or bloat the quarantine row.
 */
import type { Issue } from "../../core/parse/issues.js";

const MAX_ECHO_DEPTH = 32;
const MAX_ECHO_NODES = 10_000;

/** The issues, with any `response_failed` error too deep or too large to echo replaced by a note. */
export function boundIssues(issues: Issue[]): Issue[] {
  if (!issues.some((i) => i.code === "response_failed" && !isSmallJson(i.error))) return issues;
  return issues.map((issue) =>
    issue.code === "response_failed" && !isSmallJson(issue.error)
      ? { ...issue, error: { message: "error omitted: nested too deeply or too large to echo" } }
      : issue,
  );
}

/** True when `value` nests at most MAX_ECHO_DEPTH levels and has at most MAX_ECHO_NODES nodes (iterative). */
export function isSmallJson(value: unknown): boolean {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  let nodes = 0;
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop() as { value: unknown; depth: number };
    if (++nodes > MAX_ECHO_NODES || depth > MAX_ECHO_DEPTH) return false;
    if (typeof current !== "object" || current === null) continue;
    const children = Array.isArray(current) ? current : Object.values(current);
    if (stack.length + children.length > MAX_ECHO_NODES) return false;
    for (const child of children) stack.push({ value: child, depth: depth + 1 });
  }
  return true;
}
