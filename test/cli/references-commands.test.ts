import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseReference } from "../../src/cli/references.js";
import { startTestRegistry, type TestRegistry } from "./registry-server.js";
import { runCli } from "./run-cli.js";

const MONEY = {
  type: "object",
  properties: { value: { type: "number" }, currency: { type: "string" } },
  required: ["value", "currency"],
  additionalProperties: false,
};
const INVOICE = {
  type: "object",
  properties: { total: { $ref: "money.json" } },
  required: ["total"],
  additionalProperties: false,
};

let server: TestRegistry;
let dir: string;
beforeAll(async () => {
  server = await startTestRegistry();
  dir = await mkdtemp(join(tmpdir(), "structreg-cli-refs-"));
  await writeFile(join(dir, "money.json"), JSON.stringify(MONEY));
  await writeFile(join(dir, "invoice.json"), JSON.stringify(INVOICE));
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe("CLI references", () => {
  test.each([
    ["money.json=money:1", { name: "money.json", subject: "money", version: 1 }],
    [
      "https://x.example/m.json=money:latest",
      { name: "https://x.example/m.json", subject: "money", version: -1 },
    ],
    ["a=b=money:-1", { name: "a=b", subject: "money", version: -1 }],
  ])("parses --reference %s", (raw, expected) => {
    expect(parseReference(raw)).toEqual(expected);
  });

  test.each(["money", "=money:1", "m=money", "m=money:0", "m=:1"])(
    "refuses --reference %s as usage",
    (raw) => {
      expect(() => parseReference(raw)).toThrow(expect.objectContaining({ code: "SR_USAGE" }));
    },
  );

  test("check, register and read a schema with a reference", async () => {
    const url = ["--url", server.url];
    expect((await runCli(["register", "money", join(dir, "money.json"), ...url])).code).toBe(0);
    const missing = await runCli(["register", "invoice", join(dir, "invoice.json"), ...url]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("SR_REMOTE_REF");
    const ref = ["--reference", "money.json=money:latest"];
    const checked = await runCli(["check", "invoice", join(dir, "invoice.json"), ...ref, ...url]);
    expect(checked.code).toBe(0);
    expect(checked.stdout).toContain("would create version 1");
    const registered = await runCli(["register", "invoice", join(dir, "invoice.json"), ...ref, ...url]);
    expect(registered.code).toBe(0);
    expect(registered.stdout).toContain("registered invoice version 1");
    const got = await runCli(["get", "invoice", ...url]);
    expect(JSON.parse(got.stdout)).toEqual(INVOICE);
    expect(got.stderr).toContain("references: money.json → money@1");
    expect((await runCli(["versions", "invoice", ...url])).stdout).toContain("money.json → money@1");
    const refused = await runCli(["delete", "money", "1", ...url]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("SR_REFERENCE_EXISTS");
  });
});
