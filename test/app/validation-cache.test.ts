import { describe, expect, test, vi } from "vitest";
import { createValidationService } from "../../src/app/validation.js";
import type { SourceVersion, VersionSource } from "../../src/app/validation-types.js";
import * as pipeline from "../../src/core/parse/pipeline.js";
import { closed, NOW, V1 } from "./validation-fixtures.js";

vi.mock("../../src/core/parse/pipeline.js", { spy: true });

function sourceOf(...versions: SourceVersion[]): VersionSource {
  const list = Promise.resolve(versions);
  return { versions: () => list };
}

function version(n: number, fingerprint: string, schema = V1): SourceVersion {
  return { version: n, id: n, fingerprint, state: "ENABLED", schema };
}

describe("parser cache", () => {
  test("compiles each fingerprint once", async () => {
    vi.mocked(pipeline.createParser).mockClear();
    const validation = createValidationService({
      versions: sourceOf(version(1, "a")),
      now: () => NOW,
      randomKey: () => "k",
    });
    for (let i = 0; i < 5; i++) await validation.validate("s", '{"name":"a","status":"open"}');
    expect(pipeline.createParser).toHaveBeenCalledTimes(1);
  });

  test("drops the least recently used parser when full", async () => {
    vi.mocked(pipeline.createParser).mockClear();
    const other = closed({ id: { type: "integer" } });
    const validation = createValidationService({
      versions: sourceOf(version(1, "a"), version(2, "b", other)),
      now: () => NOW,
      randomKey: () => "k",
      parserCacheSize: 1,
    });
    await validation.validate("s", '{"id":1}', { version: 2 });
    await validation.validate("s", '{"name":"a","status":"open"}', { version: 1 });
    await validation.validate("s", '{"id":1}', { version: 2 });
    expect(pipeline.createParser).toHaveBeenCalledTimes(3);
  });
});
