import { describe, expect, test } from "vitest";
import { assertRegisterMode, effectiveMode, explicitTarget, parseMode } from "../../src/app/mode-rules.js";
import type { StoredModes } from "../../src/app/ports.js";
import type { ErrorCode } from "../../src/core/errors.js";
import type { RegistryMode } from "../../src/core/model.js";

describe("effectiveMode (Confluent's getModeInScope)", () => {
  test.each<[StoredModes, RegistryMode]>([
    [{ subject: undefined, global: undefined }, "READWRITE"],
    [{ subject: undefined, global: "READONLY" }, "READONLY"],
    [{ subject: "IMPORT", global: "READONLY" }, "IMPORT"],
    [{ subject: "READWRITE", global: "READONLY" }, "READWRITE"],
    [{ subject: "READWRITE", global: "READONLY_OVERRIDE" }, "READONLY_OVERRIDE"],
    [{ subject: "IMPORT", global: "READONLY_OVERRIDE" }, "READONLY_OVERRIDE"],
    [{ subject: "READONLY_OVERRIDE", global: undefined }, "READONLY_OVERRIDE"],
  ])("%j is %s", (modes, expected) => {
    expect(effectiveMode(modes)).toBe(expected);
  });
});

describe("assertRegisterMode (Confluent's checkRegisterMode)", () => {
  const outcome = (mode: RegistryMode, explicit: { id?: number; version?: number }) => {
    try {
      assertRegisterMode("orders", mode, explicit);
      return "allowed";
    } catch (err) {
      return (err as { code: ErrorCode }).code;
    }
  };
  test.each<[RegistryMode, { id?: number; version?: number }, string]>([
    ["READWRITE", {}, "allowed"],
    ["READWRITE", { id: 3 }, "SR_IMPORT_MODE_REQUIRED"],
    ["READWRITE", { version: 2 }, "SR_IMPORT_MODE_REQUIRED"],
    ["IMPORT", { id: 3, version: 2 }, "allowed"],
    ["IMPORT", { version: 2 }, "allowed"],
    ["IMPORT", {}, "SR_READ_WRITE_MODE_REQUIRED"],
    ["READONLY", {}, "SR_READ_ONLY_MODE"],
    ["READONLY", { id: 3 }, "SR_READ_ONLY_MODE"],
    ["READONLY_OVERRIDE", {}, "SR_READ_ONLY_MODE"],
  ])("%s with %j: %s", (mode, explicit, expected) => {
    expect(outcome(mode, explicit)).toBe(expected);
  });
});

describe("explicitTarget", () => {
  test.each([
    [{}, {}],
    [{ id: -1, version: -1 }, {}],
    [{ version: 0 }, {}],
    [
      { id: 7, version: 2 },
      { id: 7, version: 2 },
    ],
    [{ id: 2_147_483_647 }, { id: 2_147_483_647 }],
  ])("%j reads as %j", (options, expected) => {
    expect(explicitTarget(options)).toEqual(expected);
  });

  test.each([
    [{ id: 0 }, "SR_INVALID_REQUEST"],
    [{ id: -2 }, "SR_INVALID_REQUEST"],
    [{ id: 2_147_483_648 }, "SR_INVALID_REQUEST"],
    [{ id: 1.5 }, "SR_INVALID_REQUEST"],
    [{ version: -2 }, "SR_INVALID_VERSION"],
    [{ version: 2_147_483_648 }, "SR_INVALID_VERSION"],
  ])("refuses %j with %s", (options, code) => {
    expect(() => explicitTarget(options)).toThrow(expect.objectContaining({ code }));
  });
});

describe("parseMode", () => {
  test("accepts any case and refuses other names and types with SR_INVALID_MODE", () => {
    expect(parseMode("import")).toBe("IMPORT");
    expect(parseMode("ReadOnly_Override")).toBe("READONLY_OVERRIDE");
    for (const bad of ["SIDEWAYS", "", 3, null, ["READONLY"]]) {
      expect(() => parseMode(bad)).toThrow(expect.objectContaining({ code: "SR_INVALID_MODE" }));
    }
  });
});
