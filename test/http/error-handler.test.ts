import { describe, expect, test } from "vitest";
import { StructregError } from "../../src/core/errors.js";
import { toErrorBody } from "../../src/http/error-handler.js";
import { captureLogger } from "./capture-logger.js";
import { createFakeRegistry } from "./fake-registry.js";
import { objectSchema, send, testApp } from "./helpers.js";

function nested(depth: number): string {
  let text = "{}";
  for (let i = 0; i < depth; i++) text = `{"type":"object","properties":{"x":${text}}}`;
  return text;
}

describe("toErrorBody", () => {
  test("puts Confluent's fields first and structreg's after", () => {
    const err = new StructregError("SR_VERSION_NOT_FOUND", "Version 3 not found.", {
      hint: "list the versions",
      details: { version: 3 },
    });
    const body = toErrorBody(err);
    expect(Object.keys(body)).toEqual(["error_code", "message", "code", "hint", "details"]);
    expect(body).toEqual({
      error_code: 40402,
      message: "Version 3 not found.",
      code: "SR_VERSION_NOT_FOUND",
      hint: "list the versions",
      details: { version: 3 },
    });
  });

  test("omits hint and details when there are none", () => {
    expect(toErrorBody(new StructregError("SR_ROUTE_NOT_FOUND", "x"))).toEqual({
      error_code: 404,
      message: "x",
      code: "SR_ROUTE_NOT_FOUND",
    });
  });
});

type BadInput = [
  name: string,
  method: "GET" | "POST" | "PUT" | "DELETE",
  url: string,
  body: unknown,
  headers: Record<string, string>,
  status: number,
  code: string,
];

/** Fastify appends a charset to errors raised before routing (no hooks run then). */
const VND_TYPE = /^application\/vnd\.schemaregistry\.v1\+json(; charset=utf-8)?$/;

const BAD_INPUTS: BadInput[] = [
  ["invalid JSON", "POST", "/subjects/a/versions", "{not json", {}, 400, "SR_INVALID_REQUEST"],
  ["truncated JSON", "POST", "/subjects/a/versions", '{"schema": "{}"', {}, 400, "SR_INVALID_REQUEST"],
  ["a JSON array body", "POST", "/subjects/a/versions", "[]", {}, 400, "SR_INVALID_REQUEST"],
  ["a JSON null body", "POST", "/subjects/a/versions", "null", {}, 400, "SR_INVALID_REQUEST"],
  [
    "text/plain",
    "POST",
    "/subjects/a/versions",
    '{"schema":"{}"}',
    { "content-type": "text/plain" },
    415,
    "SR_UNSUPPORTED_MEDIA_TYPE",
  ],
  [
    "a form post",
    "POST",
    "/subjects/a/versions",
    "schema=x",
    { "content-type": "application/x-www-form-urlencoded" },
    415,
    "SR_UNSUPPORTED_MEDIA_TYPE",
  ],
  [
    "application/xml",
    "PUT",
    "/config",
    "<x/>",
    { "content-type": "application/xml" },
    415,
    "SR_UNSUPPORTED_MEDIA_TYPE",
  ],
  [
    "prototype pollution",
    "POST",
    "/subjects/a/versions",
    '{"schema":"{}","__proto__":{"admin":true}}',
    {},
    400,
    "SR_INVALID_REQUEST",
  ],
  [
    "constructor.prototype",
    "PUT",
    "/config",
    '{"constructor":{"prototype":{"x":1}}}',
    {},
    400,
    "SR_INVALID_REQUEST",
  ],
  [
    "a 10,000-level nested body",
    "POST",
    "/subjects/a/versions",
    `{"schema":1,"x":${"[".repeat(10_000)}${"]".repeat(10_000)}}`,
    {},
    422,
    "SR_INVALID_SCHEMA",
  ],
  ["an unknown route", "GET", "/nope", undefined, {}, 404, "SR_ROUTE_NOT_FOUND"],
  ["a wrong method", "PATCH" as "GET", "/subjects", undefined, {}, 404, "SR_ROUTE_NOT_FOUND"],
  ["a malformed URL", "GET", "/subjects/%zz/versions", undefined, {}, 400, "SR_INVALID_REQUEST"],
  ["an unknown subject", "GET", "/subjects/ghost/versions/1", undefined, {}, 404, "SR_SUBJECT_NOT_FOUND"],
  ["an unknown version", "GET", "/subjects/a/versions/42", undefined, {}, 404, "SR_VERSION_NOT_FOUND"],
  ["an unknown id", "GET", "/schemas/ids/42", undefined, {}, 404, "SR_SCHEMA_NOT_FOUND"],
  ["a version of 2^31", "GET", "/subjects/a/versions/2147483648", undefined, {}, 422, "SR_INVALID_VERSION"],
  ["a negative version", "DELETE", "/subjects/a/versions/-5", undefined, {}, 422, "SR_INVALID_VERSION"],
  ["a non-boolean deleted", "GET", "/subjects?deleted=yes", undefined, {}, 400, "SR_INVALID_REQUEST"],
  ["a non-boolean permanent", "DELETE", "/subjects/a?permanent=2", undefined, {}, 400, "SR_INVALID_REQUEST"],
  [
    "a non-boolean defaultToGlobal",
    "GET",
    "/config/a?defaultToGlobal=x",
    undefined,
    {},
    400,
    "SR_INVALID_REQUEST",
  ],
  [
    "a repeated boolean",
    "GET",
    "/subjects?deleted=true&deleted=false",
    undefined,
    {},
    400,
    "SR_INVALID_REQUEST",
  ],
];

describe("bad input never answers 500", () => {
  test.each(BAD_INPUTS)("%s (%s %s)", async (_name, method, url, body, headers, status, code) => {
    const { app } = await testApp();
    await send(app, "POST", "/subjects/a/versions", { schema: objectSchema() });
    const res = await send(app, method, url, body, headers);
    expect(res.statusCode).toBe(status);
    expect(res.headers["content-type"]).toMatch(VND_TYPE);
    expect(res.json()).toMatchObject({ code, error_code: expect.any(Number), message: expect.any(String) });
  });

  test("an oversized body is 413", async () => {
    const { app } = await testApp({ options: { bodyLimitBytes: 1024 } });
    const res = await send(app, "POST", "/subjects/a/versions", { schema: "x".repeat(2048) });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error_code: 413, code: "SR_BODY_TOO_LARGE" });
  });

  test("a 415 tells the client which Content-Type to send", async () => {
    const { app } = await testApp();
    const res = await send(app, "POST", "/subjects/a", "x", { "content-type": "text/plain" });
    expect(res.json().hint).toBe("send Content-Type: application/vnd.schemaregistry.v1+json");
  });

  test("a 10,000-level nested schema reaches the registry as text and does not crash the app", async () => {
    const { app } = await testApp();
    const res = await send(app, "POST", "/subjects/deep/versions", { schema: nested(10_000) });
    expect(res.statusCode).toBeLessThan(500);
  });

  test("a subject name longer than 100 characters is routed", async () => {
    const { app } = await testApp();
    const res = await send(app, "POST", `/subjects/${"s".repeat(255)}/versions`, { schema: objectSchema() });
    expect(res.statusCode).toBe(200);
  });
});

describe("unexpected errors", () => {
  test("answer 500 SR_INTERNAL with the request id, logged, without the original message", async () => {
    const registry = createFakeRegistry();
    registry.listSubjects = async () => {
      throw new TypeError("secret internals");
    };
    const { logger, lines } = captureLogger();
    const { app } = await testApp({ registry, logger });
    const res = await send(app, "GET", "/subjects");
    expect(res.statusCode).toBe(500);
    const body = res.json();
    expect(body).toMatchObject({ code: "SR_INTERNAL", error_code: 50001 });
    expect(res.body).not.toContain("secret internals");
    const requestId = res.headers["x-request-id"];
    expect(body.details.requestId).toBe(requestId);
    const logged = lines.map((line) => JSON.parse(line)).find((entry) => entry.msg === "unexpected error");
    expect(logged).toMatchObject({ level: 50, reqId: requestId, requestId });
    expect(logged.err.message).toBe("secret internals");
  });

  test("a library error carrying a 4xx statusCode is still an internal error", async () => {
    const registry = createFakeRegistry();
    registry.listSubjects = async () => {
      throw Object.assign(new Error("upstream said 400"), { statusCode: 400 });
    };
    const { app } = await testApp({ registry });
    const res = await send(app, "GET", "/subjects");
    expect(res.statusCode).toBe(500);
    expect(res.json()).toMatchObject({ code: "SR_INTERNAL" });
  });

  test("a stack overflow while handling a body is a typed 422, not a 500", async () => {
    const registry = createFakeRegistry();
    registry.register = async () => {
      const recurse = (n: number): number => recurse(n + 1) + 1;
      return { id: recurse(0), version: 1, created: true, fingerprint: "" };
    };
    const { app } = await testApp({ registry });
    const res = await send(app, "POST", "/subjects/a/versions", { schema: "{}" });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: "SR_SCHEMA_TOO_DEEP" });
  });
});
