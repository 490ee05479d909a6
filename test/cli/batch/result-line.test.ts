import { describe, expect, test } from "vitest";
import { STRICT_SUCCESS_FIELDS } from "../../../src/app/strict-success-json.js";
import { createValidationService } from "../../../src/app/validation.js";
import type { ValidationOutcome, ValidationSuccess } from "../../../src/app/validation-types.js";
import { ResultSerializer } from "../../../src/cli/batch/result-line.js";

function strict(key: string, data: unknown, version = 1): ValidationSuccess {
  return {
    ok: true,
    subject: "s",
    version,
    targetVersion: version,
    resolution: "latest",
    track: "strict",
    data,
    repairs: [],
    key,
    keyGenerated: false,
  };
}

/** What serialising the whole outcome gives: the reference every shortcut must match. */
function reference(line: number, outcome: ValidationOutcome): unknown {
  return { line, ...outcome };
}

describe("ResultSerializer", () => {
  test("a strict success embeds the JSON text and equals the fully serialised outcome", () => {
    const serializer = new ResultSerializer();
    const lines = [
      [strict("a", { x: 1 }), '{"x":1}'],
      [strict("b", { x: 2 }), ' {"x": 2} '],
      [strict("c", { y: [1] }, 2), '{"y":[1]}'],
      [{ ...strict("d", { x: 3 }), key: 'd"quoted' }, '{"x":3}'],
    ] as const;
    lines.forEach(([outcome, json], i) => {
      const text = serializer.line(`{"line":${i + 1}`, outcome, json);
      expect(text.endsWith("}\n")).toBe(true);
      expect(JSON.parse(text)).toEqual(reference(i + 1, outcome));
    });
  });

  test.each<[string, ValidationOutcome, string | undefined]>([
    ["a strict success without JSON text", strict("a", { x: 1 }), undefined],
    [
      "a tolerant success",
      { ...strict("a", { x: 1 }), track: "tolerant", repairs: [{ kind: "trailing_comma", path: "" }] },
      '{"x":1,}',
    ],
    [
      "a failure",
      {
        ok: false,
        subject: "s",
        version: 1,
        targetVersion: 1,
        resolution: "latest",
        reason: "no_json",
        issues: [{ code: "no_json", path: "", message: "the output holds no JSON object" }],
        repairs: [],
      },
      "nothing",
    ],
  ])("serialises %s in full", (_name, outcome, json) => {
    const text = new ResultSerializer().line('{"line":7', outcome, json);
    expect(JSON.parse(text)).toEqual(reference(7, outcome));
  });

  test("a change of subject, version, resolution or keyGenerated is serialised, not taken from the last line", () => {
    const serializer = new ResultSerializer();
    const outcomes: ValidationSuccess[] = [
      strict("a", { x: 1 }),
      { ...strict("b", { x: 1 }), subject: "t" },
      { ...strict("c", { x: 1 }), version: 2, targetVersion: 3 },
      { ...strict("d", { x: 1 }), resolution: "rollout:candidate" },
      { ...strict("e", { x: 1 }), keyGenerated: true },
      strict("f", { x: 1 }),
    ];
    outcomes.forEach((outcome, i) => {
      expect(JSON.parse(serializer.line(`{"line":${i}`, outcome, '{"x":1}'))).toEqual(reference(i, outcome));
    });
  });

  test("the validation service's repair-free strict success has exactly the fields the shortcut writes", async () => {
    const schema = { type: "object", properties: { x: { type: "integer" } }, required: ["x"] };
    const v1 = { version: 1, id: 1, fingerprint: "fp", state: "ENABLED" as const, schema };
    const service = createValidationService({
      versions: { versions: async () => [v1] },
      now: () => new Date(0),
      randomKey: () => "r",
    });
    for (const options of [{ key: "k" }, {}, { version: 1 }]) {
      const outcome = await service.validate("s", '{"x":1}', options);
      expect(outcome).toMatchObject({ ok: true, track: "strict", repairs: [] });
      expect(Object.keys(outcome).sort()).toEqual([...STRICT_SUCCESS_FIELDS].sort());
      const text = new ResultSerializer().line('{"line":1', outcome, '{"x":1}');
      expect(JSON.parse(text)).toEqual(reference(1, outcome));
    }
  });
});
