import { describe, expect, test } from "vitest";
import { hasNestedRepetition } from "../../../src/core/schema/regex-safety.js";

describe("hasNestedRepetition", () => {
  test.each([
    "(a+)+$",
    "(a*)*",
    "(\\w+\\s?)*$",
    "(x+x+)+y",
    "(x+){2,}",
    "(?:a+)*",
    "(?<name>a+)+",
    "((a+))+",
    "(a+|b)*",
    "(a{1,5})+",
    "^(([a-z])+.)+[A-Z]([a-z])+$",
  ])("flags %s", (pattern) => {
    expect(hasNestedRepetition(pattern)).toBe(true);
  });

  test.each([
    "^[a-z]+$",
    "\\p{L}+",
    "(a+)?",
    "^(?:[01]\\d|2[0-3]):[0-5]\\d(?::[0-5]\\d(?:\\.\\d+)?)?$",
    "([0-9a-f]{1,4}:){1,7}",
    "(?:[0-9a-zA-Z+/]{4})*",
    "[(+*)]+",
    "\\(a+\\)+",
    "a{2,}b",
    "\\u{1F600}+",
    "(?=a+)b+",
    "a+b+c+",
    "(ab?)*",
    "(x+){3}",
  ])("passes %s", (pattern) => {
    expect(hasNestedRepetition(pattern)).toBe(false);
  });
});
