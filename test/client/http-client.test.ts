import { describe, expect, test } from "vitest";
import { createRegistryClient, errorFromResponse } from "../../src/client/http-client.js";

/** A fetch that records the request and answers with a fixed status and body. */
function fixedFetch(status: number, body: string) {
  const requests: Array<{ url: string; init: RequestInit }> = [];
  const fetchFn = (async (url: URL | string, init?: RequestInit) => {
    requests.push({ url: String(url), init: init ?? {} });
    return new Response(body, { status });
  }) as typeof fetch;
  return { fetchFn, requests };
}

describe("createRegistryClient", () => {
  test("sends Confluent's media type, the bearer token and the schema as JSON text", async () => {
    const { fetchFn, requests } = fixedFetch(200, '{"id":1,"version":1,"created":true,"fingerprint":"x"}');
    const client = createRegistryClient({ url: "http://registry:8080/base", token: "t0k", fetch: fetchFn });
    await client.register("a/b", { type: "string" });
    const [request] = requests;
    expect(request?.url).toBe("http://registry:8080/base/subjects/a%2Fb/versions");
    const headers = request?.init.headers as Record<string, string>;
    expect(headers["Content-Type"]).toBe("application/vnd.schemaregistry.v1+json");
    expect(headers.Authorization).toBe("Bearer t0k");
    expect(JSON.parse(String(request?.init.body))).toEqual({
      schema: '{"type":"string"}',
      schemaType: "JSON",
    });
  });

  test("turns a structreg error body into a StructregError with its code, hint and details", async () => {
    const body = {
      error_code: 409,
      message: "no",
      code: "SR_INCOMPATIBLE_SCHEMA",
      hint: "h",
      details: { x: 1 },
    };
    const { fetchFn } = fixedFetch(409, JSON.stringify(body));
    const client = createRegistryClient({ url: "http://r", fetch: fetchFn });
    await expect(client.listSubjects()).rejects.toMatchObject({
      code: "SR_INCOMPATIBLE_SCHEMA",
      message: "no",
      hint: "h",
      details: { x: 1 },
    });
  });

  test.each([
    [
      "a Confluent error_code",
      404,
      '{"error_code":40402,"message":"Version not found."}',
      "SR_VERSION_NOT_FOUND",
    ],
    ["a plain 401", 401, "Unauthorized", "SR_UNAUTHORIZED"],
    ["a proxy's 502", 502, "<html>bad gateway</html>", "SR_UNAVAILABLE"],
    ["an unknown SR code", 500, '{"code":"SR_FROM_THE_FUTURE","message":"?"}', "SR_INTERNAL"],
  ])("maps %s to a stable code", (_name, status, text, code) => {
    expect(errorFromResponse(status, text).code).toBe(code);
  });

  test("reports a connection failure as SR_SERVER_UNREACHABLE with the start hint", async () => {
    const refused = (async () => {
      throw new TypeError("fetch failed", {
        cause: Object.assign(new Error("connect"), { code: "ECONNREFUSED" }),
      });
    }) as typeof fetch;
    const client = createRegistryClient({ url: "http://127.0.0.1:1", fetch: refused });
    await expect(client.listSubjects()).rejects.toMatchObject({
      code: "SR_SERVER_UNREACHABLE",
      message: expect.stringContaining("ECONNREFUSED"),
      hint: expect.stringContaining("npm start"),
    });
  });

  test("reports a timeout as SR_SERVER_UNREACHABLE", async () => {
    const hanging = ((_url: URL, init?: RequestInit) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
      })) as typeof fetch;
    const client = createRegistryClient({ url: "http://r", timeoutMs: 20, fetch: hanging });
    await expect(client.listSubjects()).rejects.toMatchObject({
      code: "SR_SERVER_UNREACHABLE",
      message: expect.stringContaining("no answer within 20 ms"),
    });
  });

  test("reports a success answer that is not JSON as SR_SERVER_UNREACHABLE", async () => {
    const { fetchFn } = fixedFetch(200, "<html>hello</html>");
    const client = createRegistryClient({ url: "http://r", fetch: fetchFn });
    await expect(client.listSubjects()).rejects.toMatchObject({ code: "SR_SERVER_UNREACHABLE" });
  });
});
