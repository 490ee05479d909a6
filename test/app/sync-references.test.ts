import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createMemorySchemaStore } from "../../src/adapters/storage/memory-schema-store.js";
import { createRegistryService } from "../../src/app/registry.js";
import { syncSchemasFolder } from "../../src/app/sync.js";
import { publishOrder } from "../../src/app/sync-order.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "structreg-sync-refs-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function put(path: string, content: unknown): Promise<void> {
  await mkdir(dirname(join(dir, path)), { recursive: true });
  await writeFile(join(dir, path), typeof content === "string" ? content : JSON.stringify(content));
}

const SHARED = {
  type: "object",
  properties: { z: { type: "string" } },
  required: ["z"],
  additionalProperties: false,
};
const using = (name: string) => ({
  type: "object",
  properties: { a: { $ref: name } },
  required: ["a"],
  additionalProperties: false,
});
const refs = (subject: string, version = 1) => [{ name: `${subject}.json`, subject, version }];

describe("schemas folder with references", () => {
  test("a file waits for the subjects it references, then the folder syncs again unchanged", async () => {
    await put("zshared/v1.json", SHARED);
    await put("alpha/v1.json", using("zshared.json"));
    await put("alpha/v1.references.json", refs("zshared"));
    await put("beta/v1.json", using("zshared.json"));
    await put("beta/v1.references.json", refs("zshared", -1));
    const registry = createRegistryService({ store: createMemorySchemaStore() });
    const report = await syncSchemasFolder(dir, registry);
    expect(report.files.map((f) => [f.status, f.file])).toEqual([
      ["created", "zshared/v1.json"],
      ["created", "alpha/v1.json"],
      ["created", "beta/v1.json"],
    ]);
    expect(report.warnings).toEqual([]);
    expect((await registry.getVersion("beta", 1)).references).toEqual(refs("zshared"));
    expect((await syncSchemasFolder(dir, registry)).counts).toMatchObject({ unchanged: 3, created: 0 });
  });

  test("a malformed sidecar refuses its file; a stray sidecar is a warning", async () => {
    await put("alpha/v1.json", using("x.json"));
    await put("alpha/v1.references.json", '{"name": "x.json"}');
    await put("alpha/v2.references.json", refs("x"));
    const report = await syncSchemasFolder(dir, createRegistryService({ store: createMemorySchemaStore() }));
    expect(report.files).toEqual([
      expect.objectContaining({
        status: "refused",
        error: expect.objectContaining({ code: "SR_SCHEMA_SOURCE" }),
      }),
    ]);
    expect(report.warnings).toEqual([
      { file: "alpha/v2.references.json", message: "references of a missing v2.json: skipped" },
    ]);
  });

  test("publishOrder: version order per subject, name order across, references first, cycles last", () => {
    const f = (subject: string, version: number, references: Array<[string, number]> = []) => ({
      subject,
      version,
      references: references.map(([s, v]) => ({ name: s, subject: s, version: v })),
    });
    const files = [
      f("a", 2, [["c", 1]]),
      f("a", 1),
      f("b", 1, [["x", 1]]), // not in the folder: the registry judges, nothing to wait for
      f("c", 1, [["a", 1]]),
      f("d", 1, [["e", 1]]),
      f("e", 1, [["d", 1]]), // a cycle: published last, in name order
    ];
    expect(publishOrder(files).map((x) => `${x.subject}@${x.version}`)).toEqual([
      "a@1",
      "b@1",
      "c@1",
      "a@2",
      "d@1",
      "e@1",
    ]);
  });
});
