import { describe, expect, test } from "vitest";
import { upgradeValue } from "../../src/app/validation/upgrade.js";
import type { JsonObject } from "../../src/core/json.js";

const ITEM: JsonObject = {
  type: "object",
  properties: { sku: { type: "string" }, qty: { type: "integer", default: 1 } },
  additionalProperties: false,
};

const TARGET: JsonObject = {
  type: "object",
  additionalProperties: false,
  properties: {
    id: { type: "string" },
    currency: { type: "string", default: "EUR" },
    items: { type: "array", items: ITEM },
    shipping: { anyOf: [{ $ref: "#/$defs/address" }, { type: "null" }] },
    meta: { type: "object", properties: { tags: { type: "array", default: [] } } },
  },
  $defs: {
    address: {
      type: "object",
      properties: { city: { type: "string" }, country: { type: "string", default: "FR" } },
      additionalProperties: false,
    },
  },
};

describe("upgradeValue", () => {
  test.each([
    ["fills a missing property's default", { id: "1" }, { id: "1", currency: "EUR" }],
    ["keeps a present property", { id: "1", currency: "USD" }, { id: "1", currency: "USD" }],
    [
      "drops a property a closed target does not have",
      { id: "1", legacy: true },
      { id: "1", currency: "EUR" },
    ],
    [
      "recurses into arrays of objects",
      {
        id: "1",
        items: [
          { sku: "a", old: 1 },
          { sku: "b", qty: 3 },
        ],
      },
      {
        id: "1",
        currency: "EUR",
        items: [
          { sku: "a", qty: 1 },
          { sku: "b", qty: 3 },
        ],
      },
    ],
    [
      "follows $ref through a nullable anyOf",
      { id: "1", shipping: { city: "Lyon", zip: "69000" } },
      { id: "1", currency: "EUR", shipping: { city: "Lyon", country: "FR" } },
    ],
    [
      "leaves null in a nullable union alone",
      { id: "1", shipping: null },
      { id: "1", currency: "EUR", shipping: null },
    ],
    [
      "keeps unknown keys of an open nested object",
      { id: "1", meta: { note: "x" } },
      { id: "1", currency: "EUR", meta: { note: "x", tags: [] } },
    ],
  ])("%s", (_name, value, expected) => {
    expect(upgradeValue(value, TARGET)).toEqual(expected);
  });

  test("never mutates the input and copies defaults", () => {
    const value = { id: "1", meta: {} };
    const first = upgradeValue(value, TARGET) as { meta: { tags: unknown[] } };
    first.meta.tags.push("x");
    const second = upgradeValue(value, TARGET) as { meta: { tags: unknown[] } };
    expect(value).toEqual({ id: "1", meta: {} });
    expect(second.meta.tags).toEqual([]);
  });

  test("copies __proto__ keys as data, never touching a prototype", () => {
    const value = JSON.parse('{"id":"1","meta":{"__proto__":{"polluted":true}}}') as unknown;
    const out = upgradeValue(value, TARGET) as { meta: object };
    expect(Object.hasOwn(out.meta, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(out.meta)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("leaves scalars and schema-less values as they are", () => {
    expect(upgradeValue("x", TARGET)).toBe("x");
    expect(upgradeValue({ a: 1 }, true)).toEqual({ a: 1 });
  });
});
