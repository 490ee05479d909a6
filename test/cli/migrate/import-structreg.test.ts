import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { waitFor } from "../../helpers/wait-for.js";
import { startTestRegistry, type TestRegistry } from "../registry-server.js";
import { startCuttingProxy } from "./cutting-proxy.js";
import { describeRegistry, seedStructregSource } from "./registry-snapshot.js";
import { runImportCli as runCli } from "./run-import.js";

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const r of open.splice(0).reverse()) await r.close();
});

async function registry(): Promise<TestRegistry> {
  const r = await startTestRegistry();
  open.push(r);
  return r;
}

async function seeded(): Promise<{ source: TestRegistry; target: TestRegistry; cwd: string }> {
  const source = await registry();
  await seedStructregSource(source.registry);
  return { source, target: await registry(), cwd: mkdtempSync(join(tmpdir(), "structreg-import-")) };
}

const importArgs = (from: string, url: string, ...more: string[]) => [
  "import",
  "--from",
  from,
  "--url",
  url,
  ...more,
];

async function subjectModeStatus(url: string, subject: string): Promise<number> {
  return (await fetch(`${url}/mode/${subject}`)).status;
}

describe("import from another structreg", () => {
  test("copies subjects, versions, ids, states, soft deletes and settings; a re-run changes nothing", async () => {
    const { source, target, cwd } = await seeded();
    const first = await runCli(importArgs(source.url, target.url, "--json"), { cwd });
    expect(first.stderr).not.toContain("error");
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(report).toMatchObject({
      changed: true,
      failures: [],
      versions: { total: 9, copied: 9, failed: 0 },
    });
    expect(report.ids).toEqual({ count: 8, min: 2, max: 9 });
    expect(await describeRegistry(target.registry)).toEqual(await describeRegistry(source.registry));
    // Every subject's mode is back to what it was (none of its own) and the state file is gone.
    expect(await subjectModeStatus(target.url, "ticket")).toBe(404);
    expect(readdirSync(cwd)).toEqual([]);

    const again = await runCli(importArgs(source.url, target.url), { cwd });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("9 already there");
    expect(again.stdout).toContain("nothing changed: the target already holds everything");
    expect(await describeRegistry(target.registry)).toEqual(await describeRegistry(source.registry));
  });

  test("export then import from the file gives the same registry", async () => {
    const { source, target, cwd } = await seeded();
    const file = join(cwd, "registry.jsonl");
    expect((await runCli(["export", "--url", source.url, "--out", file])).code).toBe(0);
    const result = await runCli(importArgs(file, target.url), { cwd });
    expect(result.stderr).not.toContain("error");
    expect(result.code).toBe(0);
    expect(await describeRegistry(target.registry)).toEqual(await describeRegistry(source.registry));
    expect((await runCli(importArgs(file, target.url, "--json"), { cwd })).stdout).toContain(
      '"changed": false',
    );
  });

  test("--dry-run writes nothing and says what it would copy", async () => {
    const { source, target, cwd } = await seeded();
    const result = await runCli(importArgs(source.url, target.url, "--dry-run"), { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("9 would be copied");
    expect(await target.registry.listSubjects({ includeDeleted: true })).toEqual([]);
    expect(readdirSync(cwd)).toEqual([]);
  });

  test("a different schema already at a subject's version is a listed failure, never overwritten", async () => {
    const { source, target, cwd } = await seeded();
    await target.registry.setConfig("ticket", { compatibility: "NONE" });
    await target.registry.register("ticket", {
      type: "object",
      properties: {},
      required: [],
      additionalProperties: false,
    });
    const before = await target.registry.getVersion("ticket", 1);
    const result = await runCli(importArgs(source.url, target.url, "--json"), { cwd });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.failures[0]).toMatchObject({ step: "version:ticket@1", code: "SR_IMPORT_CONFLICT" });
    expect(await target.registry.getVersion("ticket", 1)).toEqual(before);
    expect(await subjectModeStatus(target.url, "ticket")).toBe(404);
  });

  test("an import cut off mid-way resumes with the same command, restoring the modes it found", async () => {
    const { source, target, cwd } = await seeded();
    const proxy = await startCuttingProxy(target.url, 6);
    open.push(proxy);
    const cut = await runCli(importArgs(source.url, proxy.url), { cwd });
    expect(cut.code).toBe(69);
    expect(cut.stderr).toContain("SR_SERVER_UNREACHABLE");
    expect(readdirSync(cwd).filter((f) => f.startsWith(".structreg-import-"))).toHaveLength(1);

    const state = join(cwd, readdirSync(cwd)[0] as string);

    // Another target with this state file is refused, not silently mixed.
    const other = await runCli(importArgs(source.url, target.url, "--state", state), { cwd });
    expect(other.code).toBe(2);
    expect(other.stderr).toContain("SR_IMPORT_STATE");

    proxy.heal();
    const resumed = await runCli(importArgs(source.url, proxy.url, "--json"), { cwd });
    expect(resumed.stderr).not.toContain("error");
    expect(resumed.code).toBe(0);
    const report = JSON.parse(resumed.stdout);
    expect(report).toMatchObject({ resumed: true, changed: true, failures: [], attention: [] });
    expect(report.versions.skipped).toBeGreaterThan(0);
    expect(report.versions.copied + report.versions.skipped).toBe(9);
    expect(await describeRegistry(target.registry)).toEqual(await describeRegistry(source.registry));
    for (const subject of ["ticket", "sentiment", "old"])
      expect(await subjectModeStatus(target.url, subject)).toBe(404);
    expect(existsSync(state)).toBe(false);
  });

  test("--subjects copies those subjects and what they reference, and leaves the global settings alone", async () => {
    const { source, target, cwd } = await seeded();
    const result = await runCli(importArgs(source.url, target.url, "--subjects", "inv*", "--json"), { cwd });
    expect(result.code).toBe(0);
    expect(await target.registry.listSubjects({ includeDeleted: true })).toEqual(["invoice", "money"]);
    expect((await target.registry.getVersion("invoice", 1)).references).toEqual([
      { name: "money.json", subject: "money", version: 1 },
    ]);
    expect((await target.registry.getConfig(null)).compatibilityLevel).toBe("BACKWARD");
    expect((await source.registry.getConfig(null)).compatibilityLevel).toBe("FORWARD");
  });

  test("Ctrl-C stops after the step in progress, restores the modes, exits 130; the same command resumes", async () => {
    const { source, target, cwd } = await seeded();
    const counter = await startCuttingProxy(target.url, Number.POSITIVE_INFINITY);
    open.push(counter);
    const stopped = await runCli(importArgs(source.url, counter.url), {
      cwd,
      // SIGINT once a few writes went through: the import is in the middle of its versions.
      waitForShutdown: async () => {
        await waitFor("writes", () => counter.writes() >= 5, 60_000);
        return "SIGINT";
      },
    });
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toContain("SR_IMPORT_INTERRUPTED");
    expect(stopped.stdout).toContain("stopped early: run the same command again to resume");
    for (const subject of ["ticket", "money", "invoice", "sentiment", "old"]) {
      expect(await subjectModeStatus(target.url, subject)).toBe(404);
    }
    const resumed = await runCli(importArgs(source.url, counter.url, "--json"), { cwd });
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ resumed: true, failures: [] });
    expect(await describeRegistry(target.registry)).toEqual(await describeRegistry(source.registry));
  });

  test("an unreachable target is SR_SERVER_UNREACHABLE, exit 69", async () => {
    const { source, cwd } = await seeded();
    const result = await runCli(importArgs(source.url, "http://127.0.0.1:9"), { cwd });
    expect(result.code).toBe(69);
    expect(result.stderr).toContain("SR_SERVER_UNREACHABLE");
  });
});
