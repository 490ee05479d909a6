import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { startTestRegistry, type TestRegistry } from "../registry-server.js";
import { type FakeConfluent, loadFixture, startFakeConfluent } from "./fake-confluent.js";
import { runImportCli as runCli } from "./run-import.js";

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const r of open.splice(0).reverse()) await r.close();
});

async function setup(): Promise<{ fake: FakeConfluent; target: TestRegistry; cwd: string }> {
  const fake = await startFakeConfluent(loadFixture("confluent-registry.json"), { paging: true });
  const target = await startTestRegistry();
  open.push(fake, target);
  return { fake, target, cwd: mkdtempSync(join(tmpdir(), "structreg-import-")) };
}

const args = (from: string, url: string, ...more: string[]) => [
  "import",
  "--from",
  from,
  "--url",
  url,
  "--profile",
  "json-schema",
  ...more,
];

describe("import from a Confluent registry", () => {
  test("copies every JSON version with its id and number, soft deletes, references and levels", async () => {
    const { fake, target, cwd } = await setup();
    const result = await runCli(args(fake.url, target.url, "--json"), { cwd });
    const report = JSON.parse(result.stdout);
    // The AVRO version is the one failure: structreg holds JSON Schema only.
    expect(report.failures).toEqual([
      expect.objectContaining({ step: "version:legacy-avro-value@1", code: "SR_UNSUPPORTED_SCHEMA_TYPE" }),
    ]);
    expect(result.code).toBe(1);
    expect(report.versions).toEqual({ total: 8, copied: 7, skipped: 0, failed: 1 });
    expect(report.ids).toEqual({ count: 6, min: 1, max: 7 }); // the AVRO version's id 6 is not in the target
    const r = target.registry;
    const orders = await Promise.all(
      [1, 2, 3].map((n) => r.getVersion("orders-value", n, { includeDeleted: true })),
    );
    expect(orders.map((v) => [v.version, v.id, v.deleted])).toEqual([
      [1, 2, false],
      [2, 3, false],
      [3, 5, true],
    ]);
    expect((await r.getVersion("orders-copy", 1)).id).toBe(3);
    expect((await r.getVersion("money", 1)).id).toBe(1);
    expect(await r.listSubjects()).not.toContain("retired-value");
    expect((await r.getVersion("retired-value", 1, { includeDeleted: true })).id).toBe(7);
    expect((await r.getConfig("customers-value")).compatibilityLevel).toBe("FULL");
    expect((await r.getConfig(null)).compatibilityLevel).toBe("BACKWARD");
  });

  test("a re-run changes nothing and says so (the AVRO version stays listed)", async () => {
    const { fake, target, cwd } = await setup();
    await runCli(args(fake.url, target.url), { cwd });
    const again = await runCli(args(fake.url, target.url, "--json"), { cwd });
    const report = JSON.parse(again.stdout);
    expect(report.changed).toBe(false);
    expect(report.versions).toEqual({ total: 8, copied: 0, skipped: 7, failed: 1 });
    expect(fake.requests.every((r) => r.startsWith("GET "))).toBe(true);
  });

  test("a source failing mid-read writes nothing and exits 69; the next run copies everything", async () => {
    const { fake, target, cwd } = await setup();
    fake.fault = (_m, url) =>
      url.startsWith("/subjects/orders-value/versions/2") ? { kind: "cut" } : undefined;
    const cut = await runCli(args(fake.url, target.url), { cwd });
    expect(cut.code).toBe(69);
    expect(cut.stderr).toContain("SR_IMPORT_SOURCE_UNREACHABLE");
    expect(await target.registry.listSubjects({ includeDeleted: true })).toEqual([]);
    fake.fault = () => undefined;
    const result = await runCli(args(fake.url, target.url, "--json"), { cwd });
    expect(JSON.parse(result.stdout).versions.copied).toBe(7);
  });

  test("source credentials go in a header and never into the output", async () => {
    const { fake, target, cwd } = await setup();
    const result = await runCli(
      args(fake.url, target.url, "--from-basic-auth", "key:s3cret-value", "--dry-run"),
      {
        cwd,
      },
    );
    expect(result.code).toBe(1); // the AVRO version
    expect(result.stdout + result.stderr).not.toContain("s3cret-value");
    const expected = `Basic ${Buffer.from("key:s3cret-value").toString("base64")}`;
    expect(new Set(fake.authorizations)).toEqual(new Set([expected]));
  });

  test("a subject name structreg does not accept fails its own steps only", async () => {
    const data = loadFixture("confluent-registry.json");
    data.subjects["com.shop:orders"] = [
      { version: 1, id: 9, schemaType: "JSON", schema: '{"type":"object"}' },
    ];
    const fake = await startFakeConfluent(data);
    const target = await startTestRegistry();
    open.push(fake, target);
    const result = await runCli(args(fake.url, target.url, "--json", "--subjects", "com.shop:*,money"), {
      cwd: mkdtempSync(join(tmpdir(), "structreg-import-")),
    });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.failures.map((f: { step: string; code: string }) => [f.step, f.code])).toEqual([
      ["config:com.shop:orders", "SR_INVALID_SUBJECT_NAME"],
      ["version:com.shop:orders@1", "SR_INVALID_SUBJECT_NAME"],
    ]);
    expect((await target.registry.getVersion("money", 1)).id).toBe(1);
  });
});
