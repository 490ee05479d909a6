import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { atomValue, NOT_AN_ATOM, numberValue } from "../../../src/core/parse/stream-tokens.js";

describe("stream tokens", () => {
  test("a number reads as JSON.parse reads it, to the last bit (-0 included)", () => {
    const decimal = fc
      .tuple(
        fc.boolean(),
        fc.stringMatching(/^(0|[1-9]\d{0,17})$/),
        fc.option(fc.stringMatching(/^\d{1,18}$/)),
      )
      .map(([neg, int, frac]) => `${neg ? "-" : ""}${int}${frac === null ? "" : `.${frac}`}`);
    const anyNumber = fc.oneof(
      decimal,
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
      decimal.map((d) => `${d}e-7`),
    );
    fc.assert(
      fc.property(anyNumber, (text) => {
        expect(Object.is(numberValue(text), JSON.parse(text))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  test.each(["01", "1.", ".5", "-", "+1", "1e", "1e+", "0x10", "1.5.3", "--1", "Infinity", "1E5x"])(
    "%s is not a JSON number",
    (text) => {
      expect(numberValue(text)).toBe(NOT_AN_ATOM);
    },
  );

  test("literals", () => {
    expect([atomValue("true"), atomValue("false"), atomValue("null")]).toEqual([true, false, null]);
    expect(atomValue("nul")).toBe(NOT_AN_ATOM);
    expect(atomValue("True")).toBe(NOT_AN_ATOM);
  });
});
