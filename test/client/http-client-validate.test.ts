import { describe, expect, test } from "vitest";
import { createRegistryClient } from "../../src/client/http-client.js";

function fixedFetch(status: number, body: string) {
  const requests: Array<{ url: string; init: RequestInit }> = [];
  const fetchFn = (async (url: URL | string, init?: RequestInit) => {
    requests.push({ url: String(url), init: init ?? {} });
    return new Response(body, { status });
  }) as typeof fetch;
  return { fetchFn, requests };
}

const FAILURE = { ok: false, subject: "s", version: 1, reason: "invalid", issues: [], quarantineId: 4 };

describe("RegistryClient.validate", () => {
  test("answers a 422 SR_OUTPUT_REJECTED body as the failure outcome", async () => {
    const { fetchFn, requests } = fixedFetch(422, JSON.stringify({ ...FAILURE, code: "SR_OUTPUT_REJECTED" }));
    const client = createRegistryClient({ url: "http://r", fetch: fetchFn });
    const outcome = await client.validate("a b", { output: "x", version: 2, key: "k" });
    expect(outcome).toMatchObject({ ok: false, quarantineId: 4 });
    expect(requests[0]?.url).toBe("http://r/subjects/a%20b/validate");
    expect(JSON.parse(String(requests[0]?.init.body))).toEqual({ output: "x", version: 2, key: "k" });
  });

  test("throws other 422 answers as errors with their code", async () => {
    const body = { error_code: 42202, message: "bad version", code: "SR_INVALID_VERSION" };
    const { fetchFn } = fixedFetch(422, JSON.stringify(body));
    const client = createRegistryClient({ url: "http://r", fetch: fetchFn });
    await expect(client.validate("s", { output: "x" })).rejects.toMatchObject({ code: "SR_INVALID_VERSION" });
  });

  test("sends quarantine filters as a query string and streams the export", async () => {
    const { fetchFn, requests } = fixedFetch(200, '{"id":1}\n{"id":2}\n');
    const client = createRegistryClient({ url: "http://r", fetch: fetchFn });
    const body = await client.exportQuarantine("s", { status: "open", version: 3 });
    let text = "";
    for await (const chunk of body) text += new TextDecoder().decode(chunk);
    expect(text).toBe('{"id":1}\n{"id":2}\n');
    expect(requests[0]?.url).toBe("http://r/subjects/s/quarantine/export?status=open&version=3");
  });
});
