import { describe, expect, test } from "vitest";
import { loadConfig, parseTokens } from "../src/config.js";
import { StructregError } from "../src/core/errors.js";

describe("loadConfig", () => {
  test("defaults describe the embedded registry on loopback", () => {
    const config = loadConfig({}, {}, "/srv/app");
    expect(config).toMatchObject({
      host: "127.0.0.1",
      port: 8080,
      dataDir: "/srv/app/data",
      schemasDir: "/srv/app/schemas",
      databaseUrl: undefined,
      syncSchemas: true,
      tokens: [],
      allowInsecureBind: false,
    });
  });

  test("edge settings: Host allow-list and timeouts", () => {
    expect(loadConfig({}).edge).toMatchObject({
      allowedHosts: undefined,
      timeouts: { requestTimeoutMs: 60_000, headersTimeoutMs: 10_000, maxConnections: 1024 },
    });
    const config = loadConfig({
      STRUCTREG_ALLOWED_HOSTS: "Registry.Internal, *",
      STRUCTREG_REQUEST_TIMEOUT_MS: "5000",
      STRUCTREG_MAX_REQUESTS_PER_SOCKET: "100",
    });
    expect(config.edge.allowedHosts).toEqual(["registry.internal", "*"]);
    expect(config.edge.timeouts).toMatchObject({ requestTimeoutMs: 5000, maxRequestsPerSocket: 100 });
  });

  test("overrides win over the environment", () => {
    const config = loadConfig({ PORT: "9000", STRUCTREG_DATA_DIR: "/var/x" }, { port: 0 }, "/");
    expect(config.port).toBe(0);
    expect(config.dataDir).toBe("/var/x");
  });

  test.each([
    ["PORT", "eighty"],
    ["PORT", "70000"],
    ["STRUCTREG_SYNC_SCHEMAS", "maybe"],
    ["LOG_LEVEL", "loud"],
    ["DATABASE_URL", "mysql://x"],
    ["STRUCTREG_BODY_LIMIT", "-1"],
    ["STRUCTREG_ALLOWED_HOSTS", "ok.example, bad host"],
    ["STRUCTREG_REQUEST_TIMEOUT_MS", "5"],
    ["STRUCTREG_MAX_CONNECTIONS", "many"],
  ])("rejects %s=%s with SR_CONFIG_INVALID naming the variable", (name, value) => {
    try {
      loadConfig({ [name]: value });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(StructregError);
      expect((err as StructregError).code).toBe("SR_CONFIG_INVALID");
      expect((err as StructregError).message).toContain(name);
    }
  });
});

describe("parseTokens", () => {
  test("parses name:secret:scopes entries", () => {
    expect(parseTokens("ci:0123456789abcdef01:write, ops:fedcba9876543210ff:admin+read")).toEqual([
      { name: "ci", secret: "0123456789abcdef01", scopes: ["write"] },
      { name: "ops", secret: "fedcba9876543210ff", scopes: ["admin", "read"] },
    ]);
  });

  test("never echoes a secret in its errors", () => {
    const secret = "supersecretvalue-123";
    for (const raw of [
      `a:${secret}:root`,
      `a:${secret}`,
      "a:short:read",
      `a:${secret}:read,a:${secret}:read`,
    ]) {
      try {
        parseTokens(raw);
        expect.unreachable();
      } catch (err) {
        expect((err as StructregError).code).toBe("SR_CONFIG_INVALID");
        expect((err as Error).message).not.toContain(secret);
      }
    }
  });
});
