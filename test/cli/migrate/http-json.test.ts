import { afterEach, describe, expect, test } from "vitest";
import { createJsonHttp } from "../../../src/cli/migrate/http-json.js";
import { type FakeConfluent, loadFixture, startFakeConfluent } from "./fake-confluent.js";

let fake: FakeConfluent | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function endpoint(url: string, sleeps: number[]) {
  return createJsonHttp({
    url,
    unreachableCode: "SR_IMPORT_SOURCE_UNREACHABLE",
    invalidCode: "SR_IMPORT_SOURCE_INVALID",
    label: "the source",
    retries: 3,
    random: () => 1,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
}

describe("source requests", () => {
  test("honour Retry-After, capped at 5 s, and back off exponentially otherwise", async () => {
    fake = await startFakeConfluent(loadFixture("confluent-registry.json"));
    const answers = [
      { kind: "status" as const, status: 429, headers: { "Retry-After": "3600" } },
      { kind: "status" as const, status: 503 },
      { kind: "status" as const, status: 502 },
    ];
    fake.fault = (_m, _u, i) => answers[i];
    const sleeps: number[] = [];
    const answer = await endpoint(fake.url, sleeps).request("GET", "/config");
    expect(answer.status).toBe(200);
    expect(sleeps).toEqual([5_000, 400, 800]);
  });

  test("do not retry a 4xx answer other than 408 and 429", async () => {
    fake = await startFakeConfluent(loadFixture("confluent-registry.json"));
    const sleeps: number[] = [];
    const answer = await endpoint(fake.url, sleeps).request("GET", "/subjects/none/versions");
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({ error_code: 40401, message: "Subject 'none' not found." });
    expect(sleeps).toEqual([]);
  });

  test("take credentials out of the URL they print", () => {
    const http = createJsonHttp({
      url: "https://key:secret@registry.example:8081/apis/ccompat/v7",
      unreachableCode: "SR_IMPORT_SOURCE_UNREACHABLE",
      invalidCode: "SR_IMPORT_SOURCE_INVALID",
      label: "the source",
    });
    expect(http.origin).toBe("https://registry.example:8081/apis/ccompat/v7");
  });

  test("refuse a URL that is not http(s) without echoing its credentials", () => {
    expect(() =>
      createJsonHttp({
        url: "ftp://key:secret@host/",
        unreachableCode: "SR_IMPORT_SOURCE_UNREACHABLE",
        invalidCode: "SR_IMPORT_SOURCE_INVALID",
        label: "the source",
      }),
    ).toThrow(/^(?!.*secret).*not an http\(s\) URL/);
  });
});
