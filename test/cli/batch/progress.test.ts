import { describe, expect, test } from "vitest";
import { createProgress } from "../../../src/cli/batch/progress.js";

function capture() {
  const out = { text: "", write: (s: string) => (out.text += s) };
  return out;
}

const at = (lines: number, bytesRead = 0, totalBytes = 0, failed = 0) => ({
  lines,
  failed,
  bytesRead,
  totalBytes,
});

describe("createProgress", () => {
  test("on a terminal redraws a bar with the share read and the rate, at most every 100 ms", () => {
    const out = capture();
    let now = 0;
    const progress = createProgress({ out, tty: true, now: () => now, width: 10 });
    now = 50;
    progress.update(() => at(10, 10, 100));
    expect(out.text).toBe("");
    now = 1000;
    progress.update(() => at(500, 50, 100, 3));
    expect(out.text).toBe("\r[#####-----]  50% 500 lines, 3 failed, 500 lines/s\u001b[K");
    progress.finish();
    expect(out.text.endsWith("\r\u001b[K")).toBe(true);
  });

  test("elsewhere writes a plain line at most every few seconds", () => {
    const out = capture();
    let now = 0;
    const progress = createProgress({ out, tty: false, now: () => now, plainEveryMs: 5000 });
    for (now = 0; now <= 12_000; now += 500) progress.update(() => at(now));
    expect(out.text.split("\n").filter((l) => l !== "")).toEqual([
      "validate-batch: 5000 lines, 1000 lines/s",
      "validate-batch: 10000 lines, 1000 lines/s",
    ]);
    progress.finish();
    expect(out.text.endsWith("\n")).toBe(true);
  });

  test("says it is working when the input size is unknown", () => {
    const out = capture();
    let now = 0;
    const progress = createProgress({ out, tty: true, now: () => now });
    now = 200;
    progress.update(() => at(1));
    expect(out.text).toMatch(/^\r\[working\] 1 lines, 5 lines\/s/);
  });
});
