import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestRegistry, type TestRegistry } from "./registry-server.js";
import { runCli } from "./run-cli.js";

const SCHEMA = {
  type: "object",
  properties: { a: { type: "string" } },
  required: ["a"],
  additionalProperties: false,
};

let server: TestRegistry;
beforeAll(async () => {
  server = await startTestRegistry();
});
afterAll(async () => {
  await server.close();
});

const cli = (argv: string[]) => runCli([...argv, "--url", server.url]);

describe("structreg mode", () => {
  test("shows the global mode, sets it, and shows a subject's mode in force", async () => {
    expect((await cli(["mode"])).stdout).toBe("global mode READWRITE\n");
    const set = await cli(["mode", "--set", "READONLY"]);
    expect(set).toMatchObject({ code: 0, stdout: "global mode READONLY set\n" });
    expect((await cli(["mode", "orders", "--json"])).stdout).toBe('{\n  "mode": "READONLY"\n}\n');
    expect((await cli(["mode", "--set", "READWRITE"])).code).toBe(0);
  });

  test("IMPORT on a subject with versions needs --force; --delete removes the subject's mode", async () => {
    await server.registry.register("mode-cli", SCHEMA);
    const refused = await cli(["mode", "mode-cli", "--set", "IMPORT"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("SR_IMPORT_NOT_EMPTY");
    expect((await cli(["mode", "mode-cli", "--set", "IMPORT", "--force"])).stdout).toBe(
      "mode-cli mode IMPORT set\n",
    );
    expect((await cli(["mode", "mode-cli", "--delete"])).stdout).toBe("mode-cli mode IMPORT removed\n");
    const none = await cli(["mode", "mode-cli", "--delete"]);
    expect(none.code).toBe(3);
    expect(none.stderr).toContain("SR_SUBJECT_NOT_FOUND");
  });

  test("READONLY refuses a CLI registration with exit code 1 and the typed error", async () => {
    await cli(["mode", "frozen", "--set", "READONLY"]);
    const res = await runCli(["register", "frozen", "-", "--url", server.url], {
      stdin: JSON.stringify(SCHEMA),
    });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("SR_READ_ONLY_MODE");
  });

  test.each([
    [["mode", "--delete"], "SR_USAGE"],
    [["mode", "--force"], "SR_USAGE"],
    [["mode", "--set", "SIDEWAYS"], "SR_USAGE"],
  ])("%j is a usage error (exit 2)", async (argv, code) => {
    const res = await cli(argv);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(code);
  });
});
