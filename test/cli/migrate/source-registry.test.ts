import { afterEach, describe, expect, test } from "vitest";
import { createJsonHttp, type JsonHttpOptions } from "../../../src/cli/migrate/http-json.js";
import { collectSnapshot } from "../../../src/cli/migrate/plan.js";
import { readRegistry } from "../../../src/cli/migrate/source-registry.js";
import { compileSubjectFilter } from "../../../src/cli/migrate/subject-glob.js";
import { isStructregError } from "../../../src/core/errors.js";
import { type FakeConfluent, loadFixture, startFakeConfluent } from "./fake-confluent.js";

let fake: FakeConfluent | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function source(url: string, http: Partial<JsonHttpOptions> = {}, subjects?: string, pageSize?: number) {
  const endpoint = createJsonHttp({
    url,
    unreachableCode: "SR_IMPORT_SOURCE_UNREACHABLE",
    invalidCode: "SR_IMPORT_SOURCE_INVALID",
    label: "the source",
    sleep: async () => {},
    ...http,
  });
  return collectSnapshot(
    readRegistry({
      http: endpoint,
      filter: compileSubjectFilter(subjects),
      ...(pageSize === undefined ? {} : { pageSize }),
    }),
  );
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (err) {
    return isStructregError(err) ? err.code : `not typed: ${String(err)}`;
  }
}

describe("reading a Confluent registry", () => {
  test("reads every subject, version, id, reference, soft delete and setting in Confluent's shapes", async () => {
    fake = await startFakeConfluent(loadFixture("confluent-registry.json"));
    const snapshot = await source(fake.url);
    expect(snapshot.header.sourceKind).toBe("confluent");
    expect(snapshot.global).toEqual({ compatibilityLevel: "BACKWARD" });
    expect(snapshot.subjects.map((s) => s.subject)).toEqual([
      "customers-value",
      "legacy-avro-value",
      "money",
      "orders-copy",
      "orders-value",
      "retired-value",
    ]);
    expect(snapshot.subjects.find((s) => s.subject === "customers-value")).toEqual({
      type: "subject",
      subject: "customers-value",
      compatibilityLevel: "FULL",
    });
    // 40408: no level of its own.
    expect(snapshot.subjects.find((s) => s.subject === "money")).toEqual({
      type: "subject",
      subject: "money",
    });
    const orders = snapshot.versions.filter((v) => v.subject === "orders-value");
    expect(orders.map((v) => [v.version, v.id, v.deleted])).toEqual([
      [1, 2, false],
      [2, 3, false],
      [3, 5, true],
    ]);
    expect(orders[0]?.references).toEqual([{ name: "money.json", subject: "money", version: 1 }]);
    expect(snapshot.versions.find((v) => v.subject === "legacy-avro-value")?.schemaType).toBe("AVRO");
    expect(snapshot.versions.find((v) => v.subject === "retired-value")?.deleted).toBe(true);
    expect(snapshot.versions.find((v) => v.subject === "orders-copy")?.id).toBe(3);
  });

  test("--subjects reads the matching subjects and the subjects they reference", async () => {
    fake = await startFakeConfluent(loadFixture("confluent-registry.json"));
    const snapshot = await source(fake.url, {}, "orders-*");
    expect(snapshot.subjects.map((s) => s.subject)).toEqual(["orders-copy", "orders-value", "money"]);
  });

  test("reads a registry served under a path prefix (Apicurio's /apis/ccompat/v7)", async () => {
    fake = await startFakeConfluent(loadFixture("confluent-registry.json"), { prefix: "/apis/ccompat/v7" });
    const snapshot = await source(`${fake.url}/apis/ccompat/v7`);
    expect(snapshot.versions).toHaveLength(8);
    expect(snapshot.header.source).toBe(`${fake.url}/apis/ccompat/v7`);
  });

  test("follows Confluent's offset/limit paging of /subjects", async () => {
    fake = await startFakeConfluent(loadFixture("confluent-registry.json"), { paging: true });
    const snapshot = await source(fake.url, {}, undefined, 2);
    expect(snapshot.subjects).toHaveLength(6);
    expect(fake.requests.filter((r) => r.startsWith("GET /subjects?"))).toHaveLength(4);
  });

  test("stops paging a source that ignores offset (the same page again adds nothing)", async () => {
    fake = await startFakeConfluent(loadFixture("confluent-registry.json"));
    const snapshot = await source(fake.url, {}, undefined, 6);
    expect(snapshot.subjects).toHaveLength(6);
    expect(fake.requests.filter((r) => r.startsWith("GET /subjects?"))).toHaveLength(2);
  });

  test("retries a 500, a 429 with Retry-After and a cut connection, then succeeds", async () => {
    fake = await startFakeConfluent(loadFixture("confluent-registry.json"));
    const failed = new Set<string>();
    const faults = {
      "/subjects/money/versions/1": 500,
      "/config/orders-value": 429,
      "/subjects/customers-value/versions": 0,
    } as const;
    fake.fault = (_m, url) => {
      const path = url.split("?")[0] as keyof typeof faults;
      if (!(path in faults) || failed.has(path)) return undefined;
      failed.add(path);
      const status = faults[path];
      if (status === 0) return { kind: "cut" };
      return { kind: "status", status, headers: status === 429 ? { "Retry-After": "0" } : {} };
    };
    const snapshot = await source(fake.url);
    expect(failed.size).toBe(3);
    expect(snapshot.versions).toHaveLength(8);
  });

  test("gives up on a source that keeps failing: SR_IMPORT_SOURCE_UNREACHABLE", async () => {
    fake = await startFakeConfluent(loadFixture("confluent-registry.json"));
    fake.fault = () => ({ kind: "status", status: 503 });
    expect(await codeOf(source(fake.url, { retries: 2 }))).toBe("SR_IMPORT_SOURCE_UNREACHABLE");
    expect(fake.requests).toHaveLength(3);
  });

  test("a source that hangs times out: SR_IMPORT_SOURCE_UNREACHABLE", async () => {
    fake = await startFakeConfluent(loadFixture("confluent-registry.json"));
    fake.fault = (_m, url) => (url.startsWith("/subjects/money/") ? { kind: "hang" } : undefined);
    expect(await codeOf(source(fake.url, { retries: 1, timeoutMs: 200 }))).toBe(
      "SR_IMPORT_SOURCE_UNREACHABLE",
    );
  });

  test("nothing listening: SR_IMPORT_SOURCE_UNREACHABLE", async () => {
    fake = await startFakeConfluent(loadFixture("confluent-registry.json"));
    const url = fake.url;
    await fake.close();
    fake = undefined;
    expect(await codeOf(source(url, { retries: 0 }))).toBe("SR_IMPORT_SOURCE_UNREACHABLE");
  });

  test("a 401 is SR_UNAUTHORIZED with a hint at the source's own credentials", async () => {
    fake = await startFakeConfluent(loadFixture("confluent-registry.json"));
    fake.fault = () => ({ kind: "status", status: 401, body: '{"error_code":401,"message":"Unauthorized"}' });
    const error = await source(fake.url).catch((err: unknown) => err);
    expect(isStructregError(error) && error.code).toBe("SR_UNAUTHORIZED");
    expect(isStructregError(error) && error.hint).toContain("--from-token");
  });
});

describe("hostile source answers", () => {
  const version = "/subjects/money/versions/1";
  test.each([
    ["a subjects list that is an object", "/subjects", '{"subjects":["a"]}', "SR_IMPORT_SOURCE_INVALID"],
    ["a subjects list of numbers", "/subjects", "[1,2]", "SR_IMPORT_SOURCE_INVALID"],
    ["an HTML page", "/config", "<html>login</html>", "SR_IMPORT_SOURCE_INVALID"],
    ["a version list of strings", "/subjects/money/versions", '["1"]', "SR_IMPORT_SOURCE_INVALID"],
    [
      "a version without id",
      version,
      '{"subject":"money","version":1,"schema":"{}"}',
      "SR_IMPORT_SOURCE_INVALID",
    ],
    [
      "a version of another subject",
      version,
      '{"subject":"other","version":1,"id":1,"schema":"{}"}',
      "SR_IMPORT_SOURCE_INVALID",
    ],
    [
      "a version with a negative id",
      version,
      '{"subject":"money","version":1,"id":-3,"schema":"{}"}',
      "SR_IMPORT_SOURCE_INVALID",
    ],
    [
      "a schema that is not text",
      version,
      '{"subject":"money","version":1,"id":1,"schema":{}}',
      "SR_IMPORT_SOURCE_INVALID",
    ],
    [
      "references that are not a list",
      version,
      '{"subject":"money","version":1,"id":1,"schema":"{}","references":"x"}',
      "SR_IMPORT_SOURCE_INVALID",
    ],
    [
      "a reference without version",
      version,
      '{"subject":"money","version":1,"id":1,"schema":"{}","references":[{"name":"a","subject":"b"}]}',
      "SR_IMPORT_SOURCE_INVALID",
    ],
    ["an answer of 17 MiB", version, `"${"x".repeat(17 * 1024 * 1024)}"`, "SR_IMPORT_TOO_LARGE"],
  ])("%s is refused with a typed error", async (_name, path, body, code) => {
    fake = await startFakeConfluent(loadFixture("confluent-registry.json"));
    fake.fault = (_m, url) => (url.split("?")[0] === path ? { kind: "body", body } : undefined);
    expect(await codeOf(source(fake.url))).toBe(code);
  });

  test("more subjects than the limit is SR_IMPORT_TOO_LARGE", async () => {
    fake = await startFakeConfluent(loadFixture("confluent-registry.json"));
    const endpoint = createJsonHttp({
      url: fake.url,
      unreachableCode: "SR_IMPORT_SOURCE_UNREACHABLE",
      invalidCode: "SR_IMPORT_SOURCE_INVALID",
      label: "the source",
    });
    const records = readRegistry({ http: endpoint, filter: () => true, limits: { maxSubjects: 3 } });
    expect(await codeOf(collectSnapshot(records))).toBe("SR_IMPORT_TOO_LARGE");
  });
});
