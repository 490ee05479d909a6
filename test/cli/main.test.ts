import { describe, expect, test } from "vitest";
import { runCli } from "./run-cli.js";

const COMMANDS = [
  "serve",
  "register",
  "check",
  "sync",
  "diff",
  "lint",
  "subjects",
  "versions",
  "get",
  "config",
  "mode",
  "delete",
  "state",
];

describe("structreg main", () => {
  test("--help lists every command with a description, and examples", async () => {
    const run = await runCli(["--help"]);
    expect(run.code).toBe(0);
    for (const name of COMMANDS) expect(run.stdout).toMatch(new RegExp(`^  ${name}\\b.*\\S{3,}`, "m"));
    expect(run.stdout).toContain("Examples:");
    expect(run.stderr).toBe("");
  });

  test.each(COMMANDS)("%s --help shows examples", async (name) => {
    const run = await runCli([name, "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Usage: structreg ${name}`);
    expect(run.stdout).toContain("Examples:");
  });

  test("--version prints the package version", async () => {
    const run = await runCli(["--version"]);
    expect(run).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/) });
  });

  test.each([
    ["an unknown command", ["frobnicate"], /unknown command 'frobnicate'/],
    ["an unknown option", ["subjects", "--nope"], /unknown option '--nope'/],
    ["a missing argument", ["register", "orders"], /missing required argument 'file'/],
    ["an excess argument", ["subjects", "extra"], /too many arguments/],
    ["a value outside the choices", ["config", "--compatibility", "SIDEWAYS"], /SIDEWAYS.*Allowed choices/s],
    ["a bad state", ["state", "orders", "1", "GONE"], /GONE.*Allowed choices/s],
    ["a bad version number", ["get", "orders", "1.5"], /version must be a positive integer/],
    ["a bad port", ["serve", "--port", "http"], /--port must be an integer/],
  ])("exits 2 with SR_USAGE for %s", async (_name, argv, message) => {
    const run = await runCli(argv);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error SR_USAGE: /);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe("");
  });

  test("exits 2 and prints help on stderr when no command is given", async () => {
    const run = await runCli([]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Usage: structreg");
  });

  test("exits 69 with a hint when the registry is unreachable", async () => {
    // Port 9 (discard) on loopback is closed on any sane machine: connection refused, fast.
    const run = await runCli(["subjects", "--url", "http://127.0.0.1:9"]);
    expect(run.code).toBe(69);
    expect(run.stderr).toMatch(
      /^error SR_SERVER_UNREACHABLE: cannot reach the registry at http:\/\/127\.0\.0\.1:9/,
    );
    expect(run.stderr).toContain("hint: is the registry running? start it with `npm start`");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  test("takes the registry URL from STRUCTREG_URL", async () => {
    const run = await runCli(["subjects"], { env: { STRUCTREG_URL: "http://127.0.0.1:9/" } });
    expect(run.code).toBe(69);
    expect(run.stderr).toContain("http://127.0.0.1:9");
  });

  test("exits 78 for a registry URL that is not http(s)", async () => {
    const run = await runCli(["subjects", "--url", "ftp://example"]);
    expect(run.code).toBe(78);
    expect(run.stderr).toMatch(/^error SR_CONFIG_INVALID: /);
  });
});

test("never shows the STRUCTREG_TOKEN secret in help", async () => {
  const run = await runCli(["subjects", "--help"], { env: { STRUCTREG_TOKEN: "very-secret-value" } });
  expect(run.code).toBe(0);
  expect(run.stdout).toContain("$STRUCTREG_TOKEN");
  expect(run.stdout).not.toContain("very-secret-value");
});
