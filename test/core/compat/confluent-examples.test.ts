/**
 * Cases ported from Confluent Schema Registry's own differ tests (json-schema-provider test resources
 * diff-schema-examples.json and diff-combined-schema-examples.json), rewritten with JSON-Pointer paths and
 * the 8.x kinds (an optional property added to an open content model is OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL).
 * Confluent lists property differences in Java HashSet order, so changes are compared as sorted lists.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { diffDirection } from "../../../src/core/compat/compare.js";
import { COMPATIBLE_CHANGES_LENIENT, COMPATIBLE_CHANGES_STRICT } from "../../../src/core/compat/kinds.js";
import type { JsonSchema } from "../../../src/core/json.js";

interface Example {
  description: string;
  original: JsonSchema;
  update: JsonSchema;
  changes: string[];
  compatible: boolean;
  compatibleLenient?: boolean;
}

function load(name: string): Example[] {
  return JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", name), "utf8")) as Example[];
}

const sorted = (list: string[]) => [...list].sort();

// confluent-unevaluated-examples.json: items and properties added and removed under a content model that
// unevaluatedItems / unevaluatedProperties opens (true, {}), closes (false) or partially opens (a schema), as
// Confluent's ArraySchemaDiff / ObjectSchemaDiff judge them.
describe.each([
  "confluent-diff-examples.json",
  "confluent-combined-examples.json",
  "confluent-unevaluated-examples.json",
])("%s", (file) => {
  const examples = load(file);

  test("holds cases", () => {
    expect(examples.length).toBeGreaterThan(20);
  });

  test.each(examples)("$description", (example) => {
    const strict = diffDirection(example.original, example.update, COMPATIBLE_CHANGES_STRICT);
    expect(sorted(strict.map((d) => `${d.kind} ${d.path}`.trimEnd()))).toEqual(
      sorted(example.changes.map((c) => c.trimEnd())),
    );
    expect(strict.every((d) => COMPATIBLE_CHANGES_STRICT.has(d.kind))).toBe(example.compatible);

    const lenient = diffDirection(example.original, example.update, COMPATIBLE_CHANGES_LENIENT);
    const lenientVerdict = lenient.every((d) => COMPATIBLE_CHANGES_LENIENT.has(d.kind));
    expect(lenientVerdict).toBe(example.compatibleLenient ?? example.compatible);
  });
});
