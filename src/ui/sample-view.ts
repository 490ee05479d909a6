/** A bad case's output with the issues' paths marked (when the output is JSON). */
import { prettyJson } from "./pretty-json.js";

/** One line of the marked view: its text and the issues found at a pointer starting on it. */
export interface MarkedLine {
  text: string;
  issues: Array<{ path: string; message: string }>;
}

/**
 * The output pretty-printed with each issue beside the line where its path starts; null when the output is
 * not JSON (then only the raw text is shown). Issues whose path is missing in the output (a required
 * property absent) are put on the line of the nearest existing parent.
 */
export function markIssues(
  raw: string,
  issues: ReadonlyArray<{ path: string; message: string }>,
): MarkedLine[] | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  const pretty = prettyJson(value);
  const lines: MarkedLine[] = pretty.lines.map((text) => ({ text, issues: [] }));
  for (const issue of issues.slice(0, 200)) {
    let path = issue.path;
    let line = pretty.lineOf.get(path);
    while (line === undefined && path !== "") {
      path = path.slice(0, Math.max(0, path.lastIndexOf("/")));
      line = pretty.lineOf.get(path);
    }
    lines[line ?? 0]?.issues.push({ path: issue.path, message: issue.message });
  }
  return lines;
}
