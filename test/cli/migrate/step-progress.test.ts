import { describe, expect, test } from "vitest";
import { createStepProgress } from "../../../src/cli/migrate/step-progress.js";

function capture() {
  let text = "";
  return { out: { write: (s: string) => (text += s) }, text: () => text };
}

describe("import progress", () => {
  test("on a terminal, redraws one bar in place and clears it at the end", () => {
    const c = capture();
    let now = 0;
    const progress = createStepProgress({ out: c.out, tty: true, now: () => now, width: 10 });
    progress.update("importing", 0, 4, "version:a@1");
    now = 50;
    progress.update("importing", 1, 4, "version:a@2"); // within 100 ms: not drawn
    now = 200;
    progress.update("importing", 2, 4, "version:b@1");
    progress.finish();
    expect(c.text()).toBe(
      "\rimporting: [----------]   0% 0/4 version:a@1\u001b[K" +
        "\rimporting: [#####-----]  50% 2/4 version:b@1\u001b[K" +
        "\r\u001b[K",
    );
  });

  test("elsewhere, writes plain lines at most every interval, and the last figures at the end", () => {
    const c = capture();
    let now = 0;
    const progress = createStepProgress({ out: c.out, tty: false, now: () => now, plainEveryMs: 1_000 });
    for (let i = 0; i < 10; i++) {
      now = i * 300;
      progress.update("reading", i, 0, "subjects");
    }
    progress.finish();
    expect(
      c
        .text()
        .split("\n")
        .filter((l) => l !== ""),
    ).toEqual(["reading: 0 subjects", "reading: 4 subjects", "reading: 8 subjects", "reading: 9 subjects"]);
    expect(c.text()).not.toContain("\r");
  });
});
