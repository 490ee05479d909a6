/** A provider-lint finding. `path` is a JSON Pointer into the schema. */
export interface LintProblem {
  code: string;
  path: string;
  message: string;
  severity: "error" | "warning";
}
