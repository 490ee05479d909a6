import { isJsonObject, type JsonObject, type JsonValue } from "../json.js";
import type { LintContext, LintProblem, LintRule } from "./lint-types.js";
import type { SchemaNode } from "./walk.js";

// OpenAI strict mode's size limits (values come from ProviderLimits, so other deployments can differ).

type ObjectNode = SchemaNode & { schema: JsonObject };

function objectNodes(context: LintContext): ObjectNode[] {
  return context.nodes.filter((n): n is ObjectNode => isJsonObject(n.schema));
}

function error(code: string, path: string, message: string): LintProblem {
  return { code, path, message, severity: "error" };
}

/** Characters a data value counts for: a string's length, a scalar's printed length, else its JSON text. */
function charsOf(value: JsonValue): number {
  if (typeof value === "string") return value.length;
  return JSON.stringify(value).length;
}

const totalProperties: LintRule = {
  name: "total properties",
  check(context) {
    let count = 0;
    for (const n of objectNodes(context)) {
      if (isJsonObject(n.schema.properties)) count += Object.keys(n.schema.properties).length;
    }
    const max = context.limits.maxProperties;
    if (count <= max) return [];
    const message = `The schema has ${count} object properties; the limit is ${max}. Split it into smaller schemas.`;
    return [error("OPENAI_LIMIT_PROPERTIES", "", message)];
  },
};

const objectDepth: LintRule = {
  name: "object nesting depth",
  check(context) {
    const max = context.limits.maxObjectDepth;
    // Report where each branch first goes too deep, not every node below that point.
    return context.nodes
      .filter((n) => n.objectDepth > max && (context.nodes[n.parent]?.objectDepth ?? 0) <= max)
      .map((n) =>
        error(
          "OPENAI_LIMIT_DEPTH",
          n.path,
          `Objects are nested ${n.objectDepth} levels deep at ${n.path}; the limit is ${max}. Flatten the structure.`,
        ),
      );
  },
};

const totalChars: LintRule = {
  name: "total characters of names and values",
  check(context) {
    let chars = 0;
    for (const { schema } of objectNodes(context)) {
      for (const key of ["properties", "$defs", "definitions"] as const) {
        const map = schema[key];
        if (isJsonObject(map)) chars += Object.keys(map).reduce((sum, name) => sum + name.length, 0);
      }
      if (Array.isArray(schema.enum)) chars += schema.enum.reduce<number>((sum, v) => sum + charsOf(v), 0);
      if (schema.const !== undefined) chars += charsOf(schema.const);
    }
    const max = context.limits.maxTotalChars;
    if (chars <= max) return [];
    const message = `Property names, definition names and enum/const values total ${chars} characters; the limit is ${max}. Shorten names or enum values, or split the schema.`;
    return [error("OPENAI_LIMIT_CHARS", "", message)];
  },
};

const totalEnumValues: LintRule = {
  name: "total enum values",
  check(context) {
    let count = 0;
    for (const { schema } of objectNodes(context)) {
      if (Array.isArray(schema.enum)) count += schema.enum.length;
    }
    const max = context.limits.maxEnumValues;
    if (count <= max) return [];
    const message = `The schema has ${count} enum values in all; the limit is ${max}. Use fewer values, or a string with a pattern.`;
    return [error("OPENAI_LIMIT_ENUM_VALUES", "", message)];
  },
};

const largeStringEnums: LintRule = {
  name: "characters of a large string enum",
  check(context) {
    const { largeEnumThreshold, maxLargeEnumChars } = context.limits;
    const found: LintProblem[] = [];
    for (const { schema, path } of objectNodes(context)) {
      const values = schema.enum;
      if (!Array.isArray(values) || values.length <= largeEnumThreshold) continue;
      if (!values.every((v) => typeof v === "string")) continue;
      const chars = values.reduce<number>((sum, v) => sum + (v as string).length, 0);
      if (chars <= maxLargeEnumChars) continue;
      const message = `This enum has ${values.length} string values totalling ${chars} characters; above ${largeEnumThreshold} values the limit is ${maxLargeEnumChars}. Shorten the values or split the enum.`;
      found.push(error("OPENAI_LIMIT_ENUM_CHARS", `${path}/enum`, message));
    }
    return found;
  },
};

/** OpenAI strict mode's limits on schema size, one rule per limit. */
export const OPENAI_LIMIT_RULES: readonly LintRule[] = [
  totalProperties,
  objectDepth,
  totalChars,
  totalEnumValues,
  largeStringEnums,
];
