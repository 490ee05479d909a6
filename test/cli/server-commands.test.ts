import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { startTestRegistry, type TestRegistry } from "./registry-server.js";
import { runCli } from "./run-cli.js";

const V1 = {
  type: "object",
  properties: { sentiment: { type: "string", enum: ["positive", "negative"] } },
  required: ["sentiment"],
  additionalProperties: false,
};
const V2_COMPATIBLE = {
  ...V1,
  properties: { sentiment: { type: "string", enum: ["positive", "negative", "neutral"] } },
};
const V2_BREAKING = {
  ...V1,
  properties: { ...V1.properties, score: { type: "number" } },
  required: ["sentiment", "score"],
};
const NOT_STRICT = { type: "object", properties: { a: { type: "string" } } };

let server: TestRegistry;
let dir: string;
beforeAll(async () => {
  server = await startTestRegistry();
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "structreg-cli-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function put(path: string, content: unknown): Promise<string> {
  const full = join(dir, path);
  await mkdir(dirname(full), { recursive: true });
  await writeFile(full, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return full;
}

let counter = 0;
/** A fresh subject name per test: the registry is shared by the whole file. */
function subject(): string {
  counter += 1;
  return `cli-test-${counter}`;
}

const cli = (argv: string[], stdin?: string) =>
  runCli([...argv, "--url", server.url], { cwd: dir, ...(stdin === undefined ? {} : { stdin }) });

describe("register", () => {
  test("registers a new version, then reports it already registered", async () => {
    const s = subject();
    const file = await put("v1.json", V1);
    const first = await cli(["register", s, file]);
    expect(first).toMatchObject({ code: 0, stderr: "" });
    expect(first.stdout).toMatch(new RegExp(`^registered ${s} version 1 \\(id \\d+\\)\\n$`));
    const again = await cli(["register", s, "v1.json"]);
    expect(again.stdout).toMatch(/^already registered .* version 1 /);
  });

  test("prints the registration as JSON with --json", async () => {
    const s = subject();
    const run = await cli(["register", s, await put("v1.json", V1), "--json"]);
    expect(JSON.parse(run.stdout)).toMatchObject({ version: 1, created: true, id: expect.any(Number) });
  });

  test("reads the schema from stdin with -", async () => {
    const run = await cli(["register", subject(), "-"], JSON.stringify(V1));
    expect(run.code).toBe(0);
  });

  test("exits 1 with the differences when the registry refuses an incompatible schema", async () => {
    const s = subject();
    await cli(["register", s, await put("v1.json", V1)]);
    const run = await cli(["register", s, await put("v2.json", V2_BREAKING)]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error SR_INCOMPATIBLE_SCHEMA: /);
    expect(run.stderr).toContain("REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL");
    expect(run.stdout).toBe("");
  });

  test("exits 1 with the lint problems when the schema breaks OpenAI strict mode", async () => {
    const run = await cli(["register", subject(), await put("loose.json", NOT_STRICT)]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error SR_LINT_FAILED: /);
    expect(run.stderr).toMatch(/^ {2}error +\//m);
  });

  test("exits 1 with SR_SCHEMA_SOURCE for a missing file", async () => {
    const run = await cli(["register", subject(), "nope.json"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error SR_SCHEMA_SOURCE: /);
  });
});

describe("check", () => {
  test("says which version a compatible schema would create, and stores nothing", async () => {
    const s = subject();
    await cli(["register", s, await put("v1.json", V1)]);
    const run = await cli(["check", s, await put("v2.json", V2_COMPATIBLE)]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("lint: ok");
    expect(run.stdout).toContain("compatibility: compatible");
    expect(run.stdout).toMatch(/would create version 2\n$/);
    expect(await server.registry.listVersions(s)).toEqual([1]);
  });

  test("says when the schema is already registered", async () => {
    const s = subject();
    await cli(["register", s, await put("v1.json", V1)]);
    const run = await cli(["check", s, "v1.json"]);
    expect(run.stdout).toMatch(/already registered as version 1 \(id \d+\)/);
  });

  test("would create version 1 under a new subject", async () => {
    const run = await cli(["check", subject(), await put("v1.json", V1)]);
    expect(run.stdout).toMatch(/would create version 1\n$/);
  });

  test("exits 1 and lists the breaking differences when not registrable", async () => {
    const s = subject();
    await cli(["register", s, await put("v1.json", V1)]);
    const run = await cli(["check", s, await put("v2.json", V2_BREAKING)]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("compatibility: incompatible");
    expect(run.stdout).toMatch(/REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL +\/\S* +v1 backward/);
    expect(run.stdout).toMatch(/not registrable: SR_INCOMPATIBLE_SCHEMA\n$/);
  });

  test("exits 1 and prints lint problems for a schema that breaks the profile", async () => {
    const run = await cli(["check", subject(), await put("loose.json", NOT_STRICT), "--json"]);
    expect(run.code).toBe(1);
    const verdict = JSON.parse(run.stdout);
    expect(verdict.registrable).toBe(false);
    expect(verdict.lint.length).toBeGreaterThan(0);
  });
});

describe("sync", () => {
  test("publishes a folder, is idempotent, and exits 1 when a file is refused", async () => {
    const a = subject();
    const b = subject();
    await put(`schemas/${a}/v1.json`, V1);
    await put(`schemas/${a}/v2.json`, V2_COMPATIBLE);
    await put(`schemas/${b}/v1.json`, V1);
    const first = await cli(["sync"]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`^created +${a}/v1\\.json +version 1 +id \\d+$`, "m"));
    expect(first.stdout).toMatch(/3 created, 0 unchanged, 0 refused\n$/);
    const second = await cli(["sync", "schemas"]);
    expect(second.stdout).toMatch(/0 created, 3 unchanged, 0 refused\n$/);

    await put(`schemas/${a}/v3.json`, V2_BREAKING);
    await put(`schemas/${a}/v4.json`, V2_COMPATIBLE);
    const third = await cli(["sync", "--json"]);
    expect(third.code).toBe(1);
    const report = JSON.parse(third.stdout);
    expect(report.counts).toEqual({ created: 0, unchanged: 3, refused: 1, skipped: 1 });
    expect(report.files[2]).toMatchObject({ status: "refused", error: { code: "SR_INCOMPATIBLE_SCHEMA" } });
  });

  test("exits 1 when the folder does not exist", async () => {
    const run = await cli(["sync", "missing"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error SR_SCHEMA_SOURCE: cannot read the schemas folder/);
  });
});

describe("read commands", () => {
  test("subjects, versions and get show what was registered", async () => {
    const s = subject();
    await cli(["register", s, await put("v1.json", V1)]);
    await cli(["register", s, await put("v2.json", V2_COMPATIBLE)]);
    expect((await cli(["subjects"])).stdout.split("\n")).toContain(s);
    expect(JSON.parse((await cli(["subjects", "--json"])).stdout)).toContain(s);

    const versions = await cli(["versions", s]);
    expect(versions.stdout).toMatch(
      /^VERSION +ID +STATE +CREATED +REFERENCES\n1 +\d+ +ENABLED +\S+ +-\n2 +\d+ +ENABLED +\S+ +-\n$/,
    );
    expect(JSON.parse((await cli(["versions", s, "--json"])).stdout)).toEqual([1, 2]);

    const latest = await cli(["get", s]);
    expect(JSON.parse(latest.stdout)).toEqual(V2_COMPATIBLE);
    expect(latest.stdout).toContain('\n  "'); // pretty-printed
    expect(JSON.parse((await cli(["get", s, "1"])).stdout)).toEqual(V1);
    expect(JSON.parse((await cli(["get", s, "1", "--json"])).stdout)).toMatchObject({
      subject: s,
      version: 1,
    });
    expect(JSON.parse((await cli(["get", s, "latest", "--provider"])).stdout)).toMatchObject({
      type: "object",
    });
  });

  test.each([
    ["an unknown subject", ["get", "no-such-subject"], "SR_SUBJECT_NOT_FOUND"],
    ["an unknown version", ["get", "__existing__", "9"], "SR_VERSION_NOT_FOUND"],
    ["versions of an unknown subject", ["versions", "no-such-subject"], "SR_SUBJECT_NOT_FOUND"],
  ])("exits 3 for %s", async (_name, argv, code) => {
    const s = subject();
    await cli(["register", s, await put("v1.json", V1)]);
    const run = await cli(argv.map((a) => (a === "__existing__" ? s : a)));
    expect(run.code).toBe(3);
    expect(run.stderr.startsWith(`error ${code}: `)).toBe(true);
  });
});

describe("config, state and delete", () => {
  test("config shows the effective settings and sets a subject's own", async () => {
    const s = subject();
    await cli(["register", s, await put("v1.json", V1)]);
    const inherited = await cli(["config", s]);
    expect(inherited).toMatchObject({ code: 0, stdout: expect.stringMatching(/^compatibility +BACKWARD\n/) });
    const shown = await cli(["config"]);
    expect(shown.stdout).toMatch(/^compatibility +BACKWARD\npolicy +STRICT\nprofile +openai-strict\n$/);
    const set = await cli(["config", s, "--compatibility", "FULL", "--policy", "LENIENT"]);
    expect(set.code).toBe(0);
    expect(JSON.parse((await cli(["config", s, "--json"])).stdout)).toMatchObject({
      compatibilityLevel: "FULL",
      policy: "LENIENT",
    });
    expect((await cli(["config"])).stdout).toMatch(/compatibility +BACKWARD/);
  });

  test("state changes a version's state", async () => {
    const s = subject();
    await cli(["register", s, await put("v1.json", V1)]);
    const run = await cli(["state", s, "1", "DEPRECATED"]);
    expect(run).toMatchObject({ code: 0, stdout: `${s} version 1 is now DEPRECATED\n` });
  });

  test("delete soft-deletes, then permanently deletes, a version", async () => {
    const s = subject();
    await cli(["register", s, await put("v1.json", V1)]);
    await cli(["register", s, await put("v2.json", V2_COMPATIBLE)]);
    const early = await cli(["delete", s, "2", "--permanent"]);
    expect(early.code).toBe(3);
    expect(early.stderr).toMatch(/^error SR_VERSION_NOT_SOFT_DELETED: /);
    expect((await cli(["delete", s, "2"])).stdout).toBe(`soft-deleted ${s} version 2\n`);
    expect((await cli(["delete", s, "2", "--permanent"])).stdout).toBe(
      `permanently deleted ${s} version 2\n`,
    );
    expect((await cli(["delete", s])).stdout).toBe(`soft-deleted ${s} (versions 1)\n`);
  });
});

describe("authentication", () => {
  test("exits 4 without a token and succeeds with --token or STRUCTREG_TOKEN", async () => {
    const secured = await startTestRegistry([{ name: "ci", secret: "s3cret-token-value", scopes: ["read"] }]);
    try {
      const denied = await runCli(["subjects", "--url", secured.url]);
      expect(denied.code).toBe(4);
      expect(denied.stderr).toMatch(/^error SR_UNAUTHORIZED: /);
      const allowed = await runCli(["subjects", "--url", secured.url, "--token", "s3cret-token-value"]);
      expect(allowed.code).toBe(0);
      const fromEnv = await runCli(["subjects", "--url", secured.url], {
        env: { STRUCTREG_TOKEN: "s3cret-token-value" },
      });
      expect(fromEnv.code).toBe(0);
    } finally {
      await secured.close();
    }
  });
});
