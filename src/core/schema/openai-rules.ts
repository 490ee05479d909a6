import { isJsonObject, type JsonObject } from "../json.js";
import { escapePointer } from "./keywords.js";
import type { LintContext, LintProblem, LintRule } from "./lint-types.js";
import { isObjectSchema, type SchemaNode, typesOf } from "./walk.js";

// Rules for OpenAI Structured Outputs (strict mode), judged on the schema as sent to the provider.

/** String formats OpenAI strict mode supports. */
export const OPENAI_FORMATS: ReadonlySet<string> = new Set([
  "date-time",
  "time",
  "date",
  "duration",
  "email",
  "hostname",
  "ipv4",
  "ipv6",
  "uuid",
]);

// A Map, not an object literal: keys such as "then" and "constructor" are ordinary keys here.
/** Keywords strict mode refuses, with what to do instead. */
export const OPENAI_UNSUPPORTED_KEYWORDS: ReadonlyMap<string, string> = new Map([
  ["allOf", "merge the allOf branches into one schema"],
  ["oneOf", "use anyOf instead of oneOf"],
  ["not", "remove not and list the allowed values instead (enum or anyOf)"],
  ["if", "replace if/then/else with anyOf branches"],
  ["then", "replace if/then/else with anyOf branches"],
  ["else", "replace if/then/else with anyOf branches"],
  ["dependentRequired", "remove it (every property is required in strict mode)"],
  ["dependentSchemas", "remove it and model the variants as anyOf branches"],
  ["dependencies", "remove it and model the variants as anyOf branches"],
  ["patternProperties", "list the properties under properties (all required) instead"],
  ["unevaluatedProperties", 'use "additionalProperties": false instead'],
  ["unevaluatedItems", "remove it and describe the items with items"],
  ["propertyNames", "remove it (objects have a fixed set of properties in strict mode)"],
  ["minProperties", "remove it (objects have a fixed set of properties in strict mode)"],
  ["maxProperties", "remove it (objects have a fixed set of properties in strict mode)"],
  ["contains", "remove it (arrays support only items, minItems and maxItems)"],
  ["minContains", "remove it (arrays support only items, minItems and maxItems)"],
  ["maxContains", "remove it (arrays support only items, minItems and maxItems)"],
  [
    "uniqueItems",
    "remove it (arrays support only items, minItems and maxItems) and deduplicate after parsing",
  ],
]);

/**
 * Keywords OpenAI does not list as supported but that do not make a request fail as far as is known:
 * the model may not honour them, structreg's validator still checks them. Reported as warnings.
 */
export const OPENAI_UNENFORCED_KEYWORDS: ReadonlySet<string> = new Set(["minLength", "maxLength"]);

// Boolean subschemas are fine where they close a content model (additionalProperties: false).
const BOOLEAN_OK_UNDER: ReadonlySet<string> = new Set([
  "additionalProperties",
  "additionalItems",
  "unevaluatedProperties",
  "unevaluatedItems",
]);

function problem(code: string, path: string, message: string, severity: LintProblem["severity"] = "error") {
  return { code, path, message, severity } satisfies LintProblem;
}

function objectNodes(context: LintContext): Array<SchemaNode & { schema: JsonObject }> {
  return context.nodes.filter((n): n is SchemaNode & { schema: JsonObject } => isJsonObject(n.schema));
}

const rootIsObject: LintRule = {
  name: "root is an object",
  check({ root }) {
    const types = isJsonObject(root) ? typesOf(root) : [];
    if (types.length === 1 && types[0] === "object") return [];
    return [
      problem(
        "OPENAI_ROOT_NOT_OBJECT",
        "",
        'The root schema must be "type": "object"; wrap other values in an object property.',
      ),
    ];
  },
};

const rootNotAnyOf: LintRule = {
  name: "root is not anyOf",
  check({ root }) {
    if (!isJsonObject(root) || root.anyOf === undefined) return [];
    return [
      problem(
        "OPENAI_ROOT_ANY_OF",
        "/anyOf",
        "The root schema must not be anyOf; make the root an object and put the anyOf under one of its properties.",
      ),
    ];
  },
};

const closedObjects: LintRule = {
  name: "every object has additionalProperties: false",
  check(context) {
    return objectNodes(context)
      .filter((n) => isObjectSchema(n.schema) && n.schema.additionalProperties !== false)
      .map((n) =>
        problem(
          "OPENAI_ADDITIONAL_PROPERTIES",
          n.path,
          `Set "additionalProperties": false on the object schema at ${n.path || "/"} (strict mode needs closed objects).`,
        ),
      );
  },
};

const allRequired: LintRule = {
  name: "every property is required",
  check(context) {
    const found: LintProblem[] = [];
    for (const n of objectNodes(context)) {
      if (!isJsonObject(n.schema.properties)) continue;
      const required = Array.isArray(n.schema.required) ? n.schema.required : [];
      for (const name of Object.keys(n.schema.properties)) {
        if (required.includes(name)) continue;
        found.push(
          problem(
            "OPENAI_NOT_REQUIRED",
            `${n.path}/properties/${escapePointer(name)}`,
            `Add "${name}" to "required" at ${n.path || "/"}; to keep it optional, leave it required and allow null (e.g. "type": ["string", "null"]).`,
          ),
        );
      }
    }
    return found;
  },
};

const supportedKeywords: LintRule = {
  name: "only supported keywords",
  check(context) {
    const found: LintProblem[] = [];
    for (const n of objectNodes(context)) {
      for (const key of Object.keys(n.schema)) {
        const path = `${n.path}/${escapePointer(key)}`;
        const fix = OPENAI_UNSUPPORTED_KEYWORDS.get(key);
        if (fix !== undefined) {
          found.push(
            problem("OPENAI_UNSUPPORTED_KEYWORD", path, `"${key}" is not supported in strict mode: ${fix}.`),
          );
        } else if (OPENAI_UNENFORCED_KEYWORDS.has(key)) {
          const message = `"${key}" is not documented as supported in strict mode: the model may ignore it (structreg still validates it); remove it or accept repairs.`;
          found.push(problem("OPENAI_UNENFORCED_KEYWORD", path, message, "warning"));
        }
      }
    }
    return found;
  },
};

const supportedFormats: LintRule = {
  name: "only supported string formats",
  check(context) {
    return objectNodes(context)
      .filter((n) => typeof n.schema.format === "string" && !OPENAI_FORMATS.has(n.schema.format))
      .map((n) =>
        problem(
          "OPENAI_UNSUPPORTED_FORMAT",
          `${n.path}/format`,
          `Format "${String(n.schema.format)}" is not supported in strict mode; use one of ${[...OPENAI_FORMATS].join(", ")}, or a pattern instead.`,
        ),
      );
  },
};

const typedSchemas: LintRule = {
  name: "every subschema says what it is",
  check(context) {
    return context.nodes
      .filter((n) => !saysWhatItIs(n))
      .map((n) =>
        problem(
          "OPENAI_MISSING_TYPE",
          n.path,
          `The schema at ${n.path || "/"} accepts anything; give it a "type" (or anyOf, $ref, enum, const).`,
        ),
      );
  },
};

const TYPING_KEYWORDS = ["type", "anyOf", "$ref", "enum", "const"] as const;

function saysWhatItIs(node: SchemaNode): boolean {
  const schema = node.schema;
  if (node.parent < 0) return true; // the root rules report the root
  if (typeof schema === "boolean") return BOOLEAN_OK_UNDER.has(node.via);
  return TYPING_KEYWORDS.some((k) => schema[k] !== undefined);
}

const nullableEnums: LintRule = {
  name: "nullable enums list null",
  check(context) {
    return objectNodes(context)
      .filter(
        (n) =>
          typesOf(n.schema).includes("null") && Array.isArray(n.schema.enum) && !n.schema.enum.includes(null),
      )
      .map((n) =>
        problem(
          "OPENAI_NULLABLE_ENUM",
          `${n.path}/enum`,
          `The type at ${n.path || "/"} allows null but its enum does not list null; add null to the enum so standard JSON Schema validators accept null too.`,
          "warning",
        ),
      );
  },
};

/** OpenAI strict mode's structural rules, one per concern. */
export const OPENAI_STRUCTURE_RULES: readonly LintRule[] = [
  rootIsObject,
  rootNotAnyOf,
  closedObjects,
  allRequired,
  supportedKeywords,
  supportedFormats,
  typedSchemas,
  nullableEnums,
];
