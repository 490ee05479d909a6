import { describe, expect, test } from "vitest";
import { BatchTally, rateOf, summaryRows } from "../../../src/cli/batch/batch-tally.js";

describe("BatchTally", () => {
  test("counts accepted lines by track and failed lines by reason", () => {
    const tally = new BatchTally();
    tally.accepted("strict");
    tally.accepted("strict");
    tally.accepted("fallback");
    tally.rejected("invalid");
    tally.rejected("malformed_line");
    tally.blank += 1;
    expect(tally.summary(2000)).toEqual({
      lines: 5,
      ok: 3,
      failed: 2,
      tracks: { strict: 2, tolerant: 0, fallback: 1 },
      reasons: { invalid: 1, malformed_line: 1 },
      blank: 1,
      elapsedMs: 2000,
    });
  });

  test("summary rows list every track, then the reasons that occurred in name order, then the total", () => {
    const tally = new BatchTally();
    tally.accepted("tolerant");
    tally.rejected("refusal");
    tally.rejected("invalid");
    tally.rejected("invalid");
    expect(summaryRows(tally.summary(1))).toEqual([
      ["outcome", "track/reason", "lines", "share"],
      ["ok", "strict", "0", "0.0%"],
      ["ok", "tolerant", "1", "25.0%"],
      ["ok", "fallback", "0", "0.0%"],
      ["failed", "invalid", "2", "50.0%"],
      ["failed", "refusal", "1", "25.0%"],
      ["total", "", "4", "100.0%"],
    ]);
  });

  test("an empty run has no shares", () => {
    expect(summaryRows(new BatchTally().summary(0)).at(-1)).toEqual(["total", "", "0", "-"]);
  });

  test.each([
    [1000, 2000, 500],
    [10, 0, 0],
  ])("rate of %i lines in %i ms is %i lines/s", (lines, ms, rate) => {
    expect(rateOf(lines, ms)).toBe(rate);
  });
});
