import { describe, expect, test } from "vitest";
import { objectSchema, send, testApp, VND } from "./helpers.js";

describe("content types", () => {
  test.each([
    VND,
    "application/vnd.schemaregistry+json",
    "application/json",
    "application/json; charset=utf-8",
    `${VND}; charset=UTF-8`,
  ])("accepts %s", async (type) => {
    const { app } = await testApp();
    const res = await send(
      app,
      "POST",
      "/subjects/a/versions",
      { schema: objectSchema() },
      { "content-type": type },
    );
    expect(res.statusCode).toBe(200);
  });

  test.each([
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/jsonx",
  ])("refuses %s with 415 and a hint", async (type) => {
    const { app } = await testApp();
    const res = await send(app, "POST", "/subjects/a/versions", { schema: "{}" }, { "content-type": type });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({
      code: "SR_UNSUPPORTED_MEDIA_TYPE",
      hint: `send Content-Type: ${VND}`,
    });
  });

  test("answers success and errors with Confluent's media type", async () => {
    const { app } = await testApp();
    expect((await send(app, "GET", "/subjects")).headers["content-type"]).toBe(VND);
    expect((await send(app, "GET", "/subjects/x/versions")).headers["content-type"]).toBe(VND);
  });

  test("answers every request with its request id", async () => {
    const { app } = await testApp();
    const res = await send(app, "GET", "/");
    expect(res.headers["x-request-id"]).toEqual(expect.any(String));
  });

  test("refuses a body that is not valid UTF-8 instead of storing U+FFFD", async () => {
    const { app } = await testApp();
    const schema = Buffer.concat([
      Buffer.from('{"schema": "{\\"type\\":\\"object\\",\\"description\\":\\"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('\\"}"}'),
    ]);
    const res = await app.inject({
      method: "POST",
      url: "/subjects/a/versions",
      headers: { "content-type": VND },
      payload: schema,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: "SR_INVALID_REQUEST", message: "Body is not valid UTF-8" });
    expect((await send(app, "GET", "/subjects")).json()).toEqual([]);
  });
});
