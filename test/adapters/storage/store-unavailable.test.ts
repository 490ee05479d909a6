import { describe, expect, test } from "vitest";
import { createSerialQueue, toStoreError, unavailability } from "../../../src/adapters/storage/sql-client.js";

/** A driver error as node-postgres or Node's fs give them: a message and a code. */
function driverError(message: string, code?: string): Error {
  return Object.assign(new Error(message), code === undefined ? {} : { code });
}

describe("driver errors meaning the database is away are SR_STORE_UNAVAILABLE (503)", () => {
  test.each([
    ["connection refused", driverError("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED")],
    ["connection reset", driverError("read ECONNRESET", "ECONNRESET")],
    [
      "admin shutdown (pg_ctl stop/restart)",
      driverError("terminating connection due to administrator command", "57P01"),
    ],
    ["starting up", driverError("the database system is starting up", "57P03")],
    ["connection exception", driverError("connection failure", "08006")],
    ["too many connections", driverError("sorry, too many clients already", "53300")],
    ["statement timeout", driverError("canceling statement due to statement timeout", "57014")],
    [
      "idle in transaction timeout",
      driverError("terminating connection due to idle-in-transaction timeout", "25P03"),
    ],
    ["lost connection (no code)", driverError("Connection terminated unexpectedly")],
    ["connect timeout (no code)", driverError("timeout exceeded when trying to connect")],
    ["client-side query timeout (no code)", driverError("Query read timeout")],
    ["disk full", driverError("ENOSPC: no space left on device, write", "ENOSPC")],
    ["read-only file system", driverError("EROFS: read-only file system, open", "EROFS")],
  ])("%s", (_name, err) => {
    const typed = toStoreError(err, "query");
    expect(typed).toMatchObject({ code: "SR_STORE_UNAVAILABLE", status: 503, errorCode: 50003 });
    expect(typed.hint).toMatch(/retry/);
    expect(typed.cause).toBe(err);
  });

  test.each([
    ["a SQL error", driverError('relation "nope" does not exist', "42P01")],
    ["a unique violation", driverError("duplicate key value violates unique constraint", "23505")],
    ["an untyped bug", new TypeError("x is not a function")],
  ])("%s stays SR_STORE_ERROR", (_name, err) => {
    expect(unavailability(err)).toBeUndefined();
    expect(toStoreError(err, "query").code).toBe("SR_STORE_ERROR");
  });

  test("a full or read-only disk says what to do", () => {
    expect(toStoreError(driverError("no space", "ENOSPC"), "query")).toMatchObject({
      message: expect.stringContaining("disk of the data folder is full"),
      hint: expect.stringContaining("free disk space"),
    });
  });
});

describe("the PGlite queue refuses a statement that waited too long for its turn", () => {
  test("a waiting task is dropped with SR_STORE_UNAVAILABLE and never runs; the queue goes on", async () => {
    const queue = createSerialQueue();
    let release: () => void = () => undefined;
    const busy = queue.run(() => new Promise<string>((resolve) => (release = () => resolve("busy done"))));
    let ran = false;
    const waiting = queue.run(async () => {
      ran = true;
    }, 50);
    await expect(waiting).rejects.toMatchObject({ code: "SR_STORE_UNAVAILABLE", status: 503 });
    release();
    expect(await busy).toBe("busy done");
    expect(await queue.run(async () => "next", 1000)).toBe("next");
    expect(ran).toBe(false);
  });

  test("a task that started is never cut short by its wait limit", async () => {
    const queue = createSerialQueue();
    const slow = queue.run(
      () => new Promise<string>((resolve) => setTimeout(() => resolve("done"), 100)),
      10,
    );
    expect(await slow).toBe("done");
  });
});
