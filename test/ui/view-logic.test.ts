import { describe, expect, test } from "vitest";
import { createRecentCounts } from "../../src/app/recent-counts.js";
import { schemaFieldNames } from "../../src/app/schema-fields.js";
import { buildDiffView, sideBySide } from "../../src/ui/diff-view.js";
import { buildTimeline, changedFields, registryEntry } from "../../src/ui/pages/timeline.js";
import { wantsHtml } from "../../src/ui/plugin.js";
import { prettyJson } from "../../src/ui/pretty-json.js";
import { markIssues } from "../../src/ui/sample-view.js";
import { FIXTURE_SCHEMAS } from "./fixture.js";

describe("side-by-side diff", () => {
  test("pairs a changed line with its replacement and keeps equal lines aligned", () => {
    const rows = sideBySide(["a", "b", "c"], ["a", "B", "c", "d"]);
    expect(rows.map((r) => [r.left?.text ?? null, r.right?.text ?? null])).toEqual([
      ["a", "a"],
      ["b", "B"],
      ["c", "c"],
      [null, "d"],
    ]);
    expect(rows[1]?.left?.change).toBe("removed");
    expect(rows[1]?.right?.change).toBe("added");
  });

  test("judges every difference in both directions under the level and policy", () => {
    const view = buildDiffView(FIXTURE_SCHEMAS.V2, FIXTURE_SCHEMAS.V3, {
      compatibilityLevel: "BACKWARD",
      policy: "STRICT",
    });
    const byKind = Object.fromEntries(view.differences.map((d) => [d.kind, d]));
    expect(byKind.REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL).toMatchObject({
      direction: "backward",
      verdict: "allowed",
      path: "/properties/note",
    });
    expect(byKind.PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL).toMatchObject({
      direction: "forward",
      verdict: "not checked",
    });
    const full = buildDiffView(FIXTURE_SCHEMAS.V2, FIXTURE_SCHEMAS.V3, {
      compatibilityLevel: "FULL",
      policy: "STRICT",
    });
    const breaking = full.differences.find((d) => d.verdict === "breaking");
    expect(breaking?.fix).toBeTruthy();
    // The path links to the row holding "note" on the new side.
    const row = view.rows[byKind.REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL?.row ?? -1];
    expect(row?.right?.text).toContain('"note"');
  });

  test("pretty JSON records the line of each pointer", () => {
    const pretty = prettyJson({ a: [1, { "b/c": true }] });
    expect(pretty.lines.join("\n")).toBe(JSON.stringify({ a: [1, { "b/c": true }] }, null, 2));
    expect(pretty.lines[pretty.lineOf.get("/a/1/b~1c") ?? -1]).toContain('"b/c": true');
  });
});

describe("sample view", () => {
  test("marks an issue on its line, a missing property on its parent's", () => {
    const lines = markIssues('{"a": {"b": 1}}', [
      { path: "/a/b", message: "must be string" },
      { path: "/a/c", message: "is required" },
    ]);
    expect(lines?.find((l) => l.text.includes('"b": 1'))?.issues.map((i) => i.path)).toEqual(["/a/b"]);
    expect(lines?.find((l) => l.text.includes('"a": {'))?.issues.map((i) => i.path)).toEqual(["/a/c"]);
  });

  test("non-JSON output is not marked (it is shown raw)", () => {
    expect(markIssues("not json", [{ path: "", message: "x" }])).toBeNull();
  });
});

describe("recent validation counts", () => {
  test("counts since the snapshot that opens the last hour", async () => {
    let now = 0;
    let totals = new Map([["s", { total: 0, failed: 0 }]]);
    const recent = createRecentCounts(
      async () => totals,
      () => now,
    );
    totals = new Map([["s", { total: 10, failed: 2 }]]);
    now = 30 * 60_000;
    await recent.sample();
    totals = new Map([["s", { total: 25, failed: 3 }]]);
    now = 95 * 60_000;
    const window = await recent.recent();
    // The snapshot at 30 min (10 / 2) is the newest at least an hour old.
    expect(window.totals.get("s")).toEqual({ total: 15, failed: 1 });
    expect(window.since.getTime()).toBe(30 * 60_000);
  });
});

describe("small helpers", () => {
  test.each([
    ["text/html,application/xhtml+xml", true],
    ["application/json", false],
    ["application/json, text/html", false],
    ["*/*", false],
    [undefined, false],
  ])("wantsHtml(%s) is %s", (accept, expected) => {
    expect(wantsHtml(accept)).toBe(expected);
  });

  test("field names come from every properties object", () => {
    expect(schemaFieldNames(JSON.stringify(FIXTURE_SCHEMAS.V3)).sort()).toEqual([
      "currency",
      "note",
      "total",
    ]);
    expect(schemaFieldNames("{oops")).toEqual([]);
  });

  test("a timeline entry lists only the fields that changed", () => {
    const from = { stage: "idle" as const, stable: 2, candidate: null, percent: 0 };
    expect(changedFields({ from, to: { ...from, stage: "ramping", candidate: 3, percent: 10 } })).toEqual([
      "stage: idle → ramping",
      "candidate: — → 3",
      "percent: 0 → 10",
    ]);
  });
});

describe("timeline entries", () => {
  const base = {
    id: 1,
    subject: "s",
    version: null,
    who: "ops",
    scope: "admin",
    reason: null,
    at: "2026-01-01T00:00:00.000Z",
  };
  test("show only what changed, an absent own setting as inherited", () => {
    expect(
      registryEntry({
        ...base,
        kind: "config-changed",
        changes: { compatibility: { from: null, to: "FULL" }, policy: { from: "STRICT", to: "LENIENT" } },
      }),
    ).toMatchObject({
      what: "settings changed",
      who: "ops (admin)",
      changes: ["compatibility: inherited → FULL", "policy: STRICT → LENIENT"],
    });
    expect(
      registryEntry({
        ...base,
        kind: "registered",
        version: 2,
        scope: null,
        changes: { id: { from: null, to: 7 } },
      }),
    ).toMatchObject({ what: "registered v2", who: "ops", changes: ["id: 7"] });
  });

  test("merge registry and rollout events newest first", () => {
    const registered = { ...base, kind: "registered" as const, version: 1, changes: {} };
    const rollout = {
      id: 1,
      subject: "s",
      revision: 1,
      action: "set" as const,
      who: "console",
      at: "2026-01-02T00:00:00.000Z",
      from: null,
      to: { stage: "ramping" as const, stable: 1, candidate: 2, percent: 10 },
      reason: null,
      figures: null,
    };
    expect(buildTimeline([registered], [rollout]).map((e) => e.source)).toEqual(["rollout", "registry"]);
  });
});
