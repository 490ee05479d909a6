import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { startTestRegistry, type TestRegistry } from "../registry-server.js";
import { type FakeConfluent, loadFixture, startFakeConfluent } from "./fake-confluent.js";
import { runImportCli as runCli } from "./run-import.js";

let fake: FakeConfluent | undefined;
let target: TestRegistry | undefined;
afterEach(async () => {
  await fake?.close();
  await target?.close();
  fake = undefined;
  target = undefined;
});

async function servers(): Promise<{ from: string; url: string }> {
  fake = await startFakeConfluent(loadFixture("confluent-registry.json"));
  target = await startTestRegistry();
  return { from: fake.url, url: target.url };
}

describe("structreg import: refused before anything is written", () => {
  test.each([
    ["a malformed glob", ["--subjects", "orders-[ab]"], "SR_USAGE"],
    ["an unknown profile", ["--profile", "gpt"], "SR_USAGE"],
    ["basic auth without a colon", ["--from-basic-auth", "justakey"], "SR_USAGE"],
    ["a token and basic auth at once", ["--from-token", "t", "--from-basic-auth", "a:b"], "SR_USAGE"],
    ["a concurrency of 0", ["--concurrency", "0"], "SR_USAGE"],
    ["a timeout that is not a number", ["--from-timeout", "soon"], "SR_USAGE"],
  ])("%s: exit 2", async (_name, extra, code) => {
    const { from, url } = await servers();
    const result = await runCli(["import", "--from", from, "--url", url, ...extra], {
      cwd: mkdtempSync(join(tmpdir(), "sr-")),
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(code);
    expect(result.stderr).not.toContain("justakey");
    expect(await target?.registry.listSubjects({ includeDeleted: true })).toEqual([]);
  });

  test("a secret given with --from-basic-auth never appears in an error", async () => {
    const { from, url } = await servers();
    const result = await runCli([
      "import",
      "--from",
      from,
      "--url",
      url,
      "--from-basic-auth",
      "s3cretnocolon",
    ]);
    expect(result.stderr).not.toContain("s3cretnocolon");
  });

  test("a missing --from is a usage error", async () => {
    const result = await runCli(["import", "--url", "http://127.0.0.1:9"]);
    expect(result.code).toBe(2);
  });

  test("a malformed export file: SR_IMPORT_SOURCE_INVALID, exit 1, nothing written", async () => {
    const { url } = await servers();
    const cwd = mkdtempSync(join(tmpdir(), "sr-"));
    writeFileSync(join(cwd, "bad.jsonl"), '{"type":"header","format":"something-else"}\n');
    const result = await runCli(["import", "--from", "bad.jsonl", "--url", url], { cwd });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("SR_IMPORT_SOURCE_INVALID");
    expect(await target?.registry.listSubjects({ includeDeleted: true })).toEqual([]);
  });

  test("a reference cycle in the source: SR_IMPORT_REFERENCE_CYCLE, exit 1, nothing written", async () => {
    const data = loadFixture("confluent-registry.json");
    const money = data.subjects.money?.[0];
    if (money !== undefined) money.references = [{ name: "o.json", subject: "orders-value", version: 1 }];
    fake = await startFakeConfluent(data);
    target = await startTestRegistry();
    const result = await runCli(["import", "--from", fake.url, "--url", target.url], {
      cwd: mkdtempSync(join(tmpdir(), "sr-")),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("SR_IMPORT_REFERENCE_CYCLE");
    expect(result.stderr).toContain("money@1");
    expect(await target.registry.listSubjects({ includeDeleted: true })).toEqual([]);
  });

  test("a source that hangs: SR_IMPORT_SOURCE_UNREACHABLE after --from-timeout, exit 69", async () => {
    const { from, url } = await servers();
    if (fake !== undefined)
      fake.fault = (_m, u) => (u.startsWith("/subjects/money") ? { kind: "hang" } : undefined);
    const result = await runCli(["import", "--from", from, "--url", url, "--from-timeout", "100"], {
      cwd: mkdtempSync(join(tmpdir(), "sr-")),
    });
    expect(result.code).toBe(69);
    expect(result.stderr).toContain("SR_IMPORT_SOURCE_UNREACHABLE");
  });

  test("help shows the source's credential flags without any value", async () => {
    const result = await runCli(["import", "--help"], {
      env: { STRUCTREG_FROM_TOKEN: "hidden-token-value" },
    });
    expect(result.stdout).toContain("--from-token");
    expect(result.stdout).toContain("--from-basic-auth");
    expect(result.stdout).not.toContain("hidden-token-value");
  });
});
