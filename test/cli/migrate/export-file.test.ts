import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { readExportFile } from "../../../src/cli/migrate/export-file.js";
import { collectSnapshot } from "../../../src/cli/migrate/plan.js";
import { openImportState } from "../../../src/cli/migrate/state-file.js";
import { isStructregError } from "../../../src/core/errors.js";
import { runCli } from "../run-cli.js";
import { type FakeConfluent, loadFixture, startFakeConfluent } from "./fake-confluent.js";

let fake: FakeConfluent | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const dir = () => mkdtempSync(join(tmpdir(), "structreg-export-"));

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (err) {
    return isStructregError(err) ? err.code : `not typed: ${String(err)}`;
  }
}

const HEADER =
  '{"type":"header","format":"structreg-export","formatVersion":1,"source":"x","sourceKind":"confluent","createdAt":"2026-01-01T00:00:00.000Z"}';
const VERSION =
  '{"type":"version","subject":"a","version":1,"id":1,"schemaType":"JSON","schema":"{}","references":[],"deleted":false}';

describe("structreg export", () => {
  test("writes a Confluent registry as JSONL that reads back to the same content", async () => {
    fake = await startFakeConfluent(loadFixture("confluent-registry.json"));
    const out = join(dir(), "registry.jsonl");
    const result = await runCli(["export", "--from", fake.url, "--out", out]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("exported 6 subjects, 8 versions");
    const lines = readFileSync(out, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { type: string });
    expect(lines[0]?.type).toBe("header");
    expect(lines.at(-1)).toEqual({ type: "end", subjects: 6, versions: 8 });
    const snapshot = await collectSnapshot(readExportFile(out));
    expect(snapshot.versions.find((v) => v.subject === "orders-value" && v.version === 3)).toMatchObject({
      id: 5,
      deleted: true,
    });
    expect(snapshot.subjects.find((s) => s.subject === "customers-value")?.compatibilityLevel).toBe("FULL");
  });

  test("writes to stdout without --out, the summary on stderr", async () => {
    fake = await startFakeConfluent(loadFixture("confluent-registry.json"));
    const result = await runCli(["export", "--from", fake.url, "--subjects", "money"]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split("\n")).toHaveLength(5); // header, global, subject, version, end
    expect(result.stderr).toContain("exported 1 subjects, 1 versions");
  });

  test("an --out in a folder that does not exist is SR_FILE_ACCESS, exit 2", async () => {
    fake = await startFakeConfluent(loadFixture("confluent-registry.json"));
    const result = await runCli(["export", "--from", fake.url, "--out", join(dir(), "no/such/x.jsonl")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("SR_FILE_ACCESS");
  });

  test("a source failing mid-export leaves no file behind (only complete exports are renamed into place)", async () => {
    fake = await startFakeConfluent(loadFixture("confluent-registry.json"));
    fake.fault = (_m, url) =>
      url.startsWith("/subjects/orders-value/versions/2") ? { kind: "body", body: "{}" } : undefined;
    const folder = dir();
    const result = await runCli(["export", "--from", fake.url, "--out", join(folder, "x.jsonl")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("SR_IMPORT_SOURCE_INVALID");
    expect(() => readFileSync(join(folder, "x.jsonl"))).toThrow();
    expect(() => readFileSync(join(folder, "x.jsonl.partial"))).toThrow();
  });
});

describe("reading an export file", () => {
  const file = (text: string) => {
    const path = join(dir(), "in.jsonl");
    writeFileSync(path, text);
    return path;
  };
  test.each([
    ["an empty file", ""],
    ["no header", `${VERSION}\n{"type":"end","subjects":0,"versions":1}\n`],
    ["a newer format version", `${HEADER.replace('"formatVersion":1', '"formatVersion":2')}\n`],
    ["a line that is not JSON", `${HEADER}\n{oops\n`],
    ["an unknown record type", `${HEADER}\n{"type":"mystery"}\n`],
    ["a version without id", `${HEADER}\n${VERSION.replace('"id":1,', "")}\n`],
    ["a file cut short (no end record)", `${HEADER}\n${VERSION}\n`],
    ["counts that do not match", `${HEADER}\n${VERSION}\n{"type":"end","subjects":0,"versions":2}\n`],
    ["a record after the end", `${HEADER}\n{"type":"end","subjects":0,"versions":0}\n${VERSION}\n`],
  ])("%s is SR_IMPORT_SOURCE_INVALID", async (_name, text) => {
    expect(await codeOf(collectSnapshot(readExportFile(file(text))))).toBe("SR_IMPORT_SOURCE_INVALID");
  });

  test("a line longer than the bound is SR_IMPORT_TOO_LARGE (memory stays bounded)", async () => {
    const path = file(`${HEADER}\n${"x".repeat(10_000)}`);
    expect(await codeOf(collectSnapshot(readExportFile(path, 1_000)))).toBe("SR_IMPORT_TOO_LARGE");
  });

  test("a missing file is SR_FILE_ACCESS", async () => {
    expect(await codeOf(collectSnapshot(readExportFile(join(dir(), "none.jsonl"))))).toBe("SR_FILE_ACCESS");
  });
});

describe("the import state file", () => {
  test("remembers finished steps and previous modes across runs", () => {
    const path = join(dir(), "state.jsonl");
    const first = openImportState(path, "http://src", "http://dst");
    expect(first.resumed).toBe(false);
    first.recordMode("orders", null);
    first.recordMode("money", "READONLY");
    first.markDone("version:orders@1");
    const again = openImportState(path, "http://src", "http://dst");
    expect(again.resumed).toBe(true);
    expect(again.isDone("version:orders@1")).toBe(true);
    expect(again.isDone("version:orders@2")).toBe(false);
    expect([...again.modes]).toEqual([
      ["orders", null],
      ["money", "READONLY"],
    ]);
    again.finish();
    expect(openImportState(path, "http://src", "http://dst").resumed).toBe(false);
  });

  test("a last line cut by a crash is ignored (that step is checked on the target again)", () => {
    const path = join(dir(), "state.jsonl");
    openImportState(path, "http://src", "http://dst").markDone("version:a@1");
    writeFileSync(path, `${readFileSync(path, "utf8")}{"done":"version:a@`, { flag: "w" });
    const state = openImportState(path, "http://src", "http://dst");
    expect(state.isDone("version:a@1")).toBe(true);
  });

  test.each([
    ["another import's file", (p: string) => openImportState(p, "http://other", "http://dst")],
    [
      "a file that is not a state file",
      (p: string) => {
        writeFileSync(p, "hello\n");
        return openImportState(p, "http://src", "http://dst");
      },
    ],
  ])("%s is SR_IMPORT_STATE", (_name, open) => {
    const path = join(dir(), "state.jsonl");
    openImportState(path, "http://src", "http://dst");
    expect(() => open(path)).toThrow(/import state file/);
    try {
      open(path);
    } catch (err) {
      expect(isStructregError(err) && err.code).toBe("SR_IMPORT_STATE");
    }
  });
});
