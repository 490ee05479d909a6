import type { JsonSchema } from "../json.js";
import type { ProviderLimits } from "./limits.js";
import type { SchemaNode } from "./walk.js";

/** A provider-lint finding. `path` is a JSON Pointer into the schema. */
export interface LintProblem {
  code: string;
  path: string;
  message: string;
  severity: "error" | "warning";
}

/** What a lint rule sees: the schema as sent to the provider, its subschemas in order, and the limits. */
export interface LintContext {
  root: JsonSchema;
  /** Every subschema, root first, in document order. */
  nodes: readonly SchemaNode[];
  limits: ProviderLimits;
}

/** One provider rule: a single concern, reported as zero or more problems. */
export interface LintRule {
  /** Short name of the concern (for docs and debugging). */
  name: string;
  check(context: LintContext): LintProblem[];
}
