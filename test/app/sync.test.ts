import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { type SchemaRegistrar, type SyncEvent, syncSchemasFolder } from "../../src/app/sync.js";
import { StructregError } from "../../src/core/errors.js";
import type { JsonSchema } from "../../src/core/json.js";

/**
 * A registrar with the registry's observable behaviour: idempotent per subject, versions numbered from 1,
 * one global id per distinct schema, and a refusal for any schema carrying `"x-refuse": "<code>"`.
 */
function fakeRegistrar(): SchemaRegistrar & { calls: string[] } {
  const ids = new Map<string, number>();
  const subjects = new Map<string, string[]>();
  const calls: string[] = [];
  return {
    calls,
    async register(subject: string, schema: JsonSchema) {
      calls.push(subject);
      if (typeof schema === "object" && typeof schema["x-refuse"] === "string") {
        throw new StructregError(schema["x-refuse"] as "SR_INCOMPATIBLE_SCHEMA", "refused by the fake", {
          details: { messages: ["a required property was added"] },
        });
      }
      const text = JSON.stringify(schema);
      const id = ids.get(text) ?? ids.size + 1;
      ids.set(text, id);
      const versions = subjects.get(subject) ?? [];
      subjects.set(subject, versions);
      const existing = versions.indexOf(text);
      if (existing >= 0) return { id, version: existing + 1, created: false };
      versions.push(text);
      return { id, version: versions.length, created: true };
    },
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "structreg-sync-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function put(path: string, content: unknown): Promise<void> {
  await mkdir(dirname(join(dir, path)), { recursive: true });
  await writeFile(join(dir, path), typeof content === "string" ? content : JSON.stringify(content));
}

const schema = (n: number) => ({ type: "object", properties: { [`p${n}`]: { type: "string" } } });

describe("syncSchemasFolder", () => {
  test("publishes every subject's files in numeric version order", async () => {
    await put("orders/v10.json", schema(10));
    await put("orders/v2.json", schema(2));
    await put("orders/v1.json", schema(1));
    await put("alerts/v1.json", schema(100));
    const report = await syncSchemasFolder(dir, fakeRegistrar());
    expect(report.files.map((f) => [f.status, f.file])).toEqual([
      ["created", "alerts/v1.json"],
      ["created", "orders/v1.json"],
      ["created", "orders/v2.json"],
      ["created", "orders/v10.json"],
    ]);
    expect(report.files[3]).toMatchObject({ subject: "orders", fileVersion: 10, version: 3 });
    expect(report.counts).toEqual({ created: 4, unchanged: 0, refused: 0, skipped: 0 });
  });

  test("reports every file unchanged on a second run", async () => {
    await put("orders/v1.json", schema(1));
    await put("orders/v2.json", schema(2));
    const registrar = fakeRegistrar();
    await syncSchemasFolder(dir, registrar);
    const second = await syncSchemasFolder(dir, registrar);
    expect(second.files.map((f) => f.status)).toEqual(["unchanged", "unchanged"]);
    expect(second.files[1]).toMatchObject({ version: 2, id: 2 });
  });

  test("a refusal stops its subject but not the other subjects", async () => {
    await put("a/v1.json", schema(1));
    await put("a/v2.json", { "x-refuse": "SR_INCOMPATIBLE_SCHEMA" });
    await put("a/v3.json", schema(3));
    await put("b/v1.json", schema(4));
    const report = await syncSchemasFolder(dir, fakeRegistrar());
    expect(report.files.map((f) => [f.status, f.file])).toEqual([
      ["created", "a/v1.json"],
      ["refused", "a/v2.json"],
      ["created", "b/v1.json"],
    ]);
    expect(report.files[1]).toMatchObject({
      error: {
        code: "SR_INCOMPATIBLE_SCHEMA",
        message: "refused by the fake",
        details: { messages: ["a required property was added"] },
      },
    });
    expect(report.skipped).toEqual([
      { subject: "a", file: "a/v3.json", fileVersion: 3, reason: "a/v2.json was refused" },
    ]);
    expect(report.counts).toEqual({ created: 2, unchanged: 0, refused: 1, skipped: 1 });
  });

  test.each([
    ["invalid JSON", "{ not json"],
    ["an empty file", ""],
  ])("refuses %s with SR_SCHEMA_SOURCE", async (_name, content) => {
    await put("orders/v1.json", content);
    const report = await syncSchemasFolder(dir, fakeRegistrar());
    expect(report.files[0]).toMatchObject({ status: "refused", error: { code: "SR_SCHEMA_SOURCE" } });
  });

  test("warns about and skips files and folders that are not <subject>/v<N>.json", async () => {
    await put("README.md", "# schemas");
    await put("bad name/v1.json", schema(1));
    await put("orders/v1.json", schema(1));
    await put("orders/notes.txt", "x");
    await put("orders/v01.json", schema(2));
    await put("orders/v2.schema.json", schema(3));
    await put(".git/config", "x");
    await put("orders/.v3.json.swp", "x");
    const registrar = fakeRegistrar();
    const report = await syncSchemasFolder(dir, registrar);
    expect(report.files.map((f) => f.file)).toEqual(["orders/v1.json"]);
    expect(report.warnings.map((w) => w.file).sort()).toEqual([
      "README.md",
      "bad name",
      "orders/notes.txt",
      "orders/v01.json",
      "orders/v2.schema.json",
    ]);
    expect(registrar.calls).toEqual(["orders"]);
  });

  test("warns when the registry numbers a file differently from its name", async () => {
    await put("orders/v1.json", schema(1));
    await put("orders/v2.json", schema(1));
    const report = await syncSchemasFolder(dir, fakeRegistrar());
    expect(report.files[1]).toMatchObject({ status: "unchanged", fileVersion: 2, version: 1 });
    expect(report.warnings).toEqual([{ file: "orders/v2.json", message: "registered as version 1, not 2" }]);
  });

  test("aborts on infrastructure failures instead of reporting them as refusals", async () => {
    await put("orders/v1.json", schema(1));
    const down: SchemaRegistrar = {
      register: () => Promise.reject(new StructregError("SR_SERVER_UNREACHABLE", "connection refused")),
    };
    await expect(syncSchemasFolder(dir, down)).rejects.toMatchObject({ code: "SR_SERVER_UNREACHABLE" });
  });

  test("refuses a schema whose registration overflows the stack instead of crashing", async () => {
    await put("deep/v1.json", `${"[".repeat(20_000)}${"]".repeat(20_000)}`);
    const registrar: SchemaRegistrar = {
      register: () => Promise.reject(new RangeError("Maximum call stack size exceeded")),
    };
    const report = await syncSchemasFolder(dir, registrar);
    expect(report.files[0]).toMatchObject({ status: "refused", error: { code: "SR_SCHEMA_TOO_DEEP" } });
  });

  test("reports progress for each file, skip and warning as it happens", async () => {
    await put("a/v1.json", { "x-refuse": "SR_LINT_FAILED" });
    await put("a/v2.json", schema(2));
    await put("stray.json", "{}");
    const events: SyncEvent["type"][] = [];
    await syncSchemasFolder(dir, fakeRegistrar(), { onProgress: (e) => events.push(e.type) });
    expect(events).toEqual(["warning", "file", "skipped"]);
  });

  test("throws SR_SCHEMA_SOURCE for a folder that does not exist", async () => {
    await expect(syncSchemasFolder(join(dir, "missing"), fakeRegistrar())).rejects.toMatchObject({
      code: "SR_SCHEMA_SOURCE",
    });
  });
});
