import { describe, expect, test } from "vitest";
import { memberValueSpan } from "../../../src/cli/batch/member-span.js";

function valueText(text: string, name: string): string | undefined {
  const span = memberValueSpan(text, name);
  return span === undefined ? undefined : text.slice(span.start, span.end);
}

describe("memberValueSpan", () => {
  test.each([
    ["an object", '{"output":{"a":1},"key":"k"}', '{"a":1}'],
    ["an array", '{"key":"k","output":[1,[2],{"b":[]}]}', '[1,[2],{"b":[]}]'],
    ["a string", '{"output":"x\\"}y"}', '"x\\"}y"'],
    ["a number", '{"output":-1.5e3,"key":"k"}', "-1.5e3"],
    ["a literal", '{"output":null}', "null"],
    ["a value with spaces around", '{ "output" :\t{ "a" : 1 } , "key" : "k" }', '{ "a" : 1 }'],
    ["brackets and quotes inside strings", '{"output":{"a":"]}\\\\","b":"{["}}', '{"a":"]}\\\\","b":"{["}'],
    ["an escaped key", '{"out\\u0070ut":{"a":1}}', '{"a":1}'],
    ["the last of duplicate keys (as JSON.parse)", '{"output":1,"output":{"a":2}}', '{"a":2}'],
    ["a nested member of that name is not the top-level one", '{"x":{"output":1},"output":2}', "2"],
  ])("finds %s", (_name, text, expected) => {
    expect(valueText(text, "output")).toBe(expected);
    // The span is exactly the member's value.
    expect(JSON.parse(expected)).toEqual(JSON.parse(text).output);
  });

  test.each([
    ["no such member", '{"key":"k"}'],
    ["an empty object", "{}"],
    ["not an object", '["output"]'],
    ["a nested member only", '{"x":{"output":1}}'],
  ])("answers undefined for %s", (_name, text) => {
    expect(memberValueSpan(text, "output")).toBeUndefined();
  });

  test.each([
    ["an unterminated string", '{"output":"abc'],
    ["an unbalanced object", '{"output":{"a":1'],
    ["a missing colon", '{"output" 1}'],
    ["garbage after a member", '{"output":1 x}'],
  ])("answers undefined, never a wrong span, for text JSON.parse would refuse: %s", (_name, text) => {
    expect(memberValueSpan(text, "output")).toBeUndefined();
  });
});
