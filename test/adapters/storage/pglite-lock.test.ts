import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openSchemaStore } from "../../../src/adapters/storage/open-store.js";
import type { SchemaStore } from "../../../src/app/ports.js";
import { createTempDir, type TempDir } from "../../helpers/databases.js";
import { startFixture } from "./child-process.js";

// Each PGlite instance costs ~400 MiB that close never returns: this file opens at most three.
describe("PGlite data folder lock", () => {
  let dir: TempDir;
  beforeAll(async () => {
    dir = await createTempDir("structreg-pglite-lock-");
  });
  afterAll(() => dir.remove());

  test("refuses a second open in the same process and in another process, then reopens after close", async () => {
    const store = await openSchemaStore({ dataDir: dir.path });
    await store.register({ subject: "orders", fingerprint: "fp-1", schema: "{}" }, () => undefined);
    await expect(openSchemaStore({ dataDir: dir.path })).rejects.toMatchObject({
      code: "SR_DATA_DIR_LOCKED",
      message: expect.stringContaining(`process ${process.pid}`),
    });
    const other = startFixture("open-once", [dir.path]);
    expect(await other.waitForLine(/^(opened|error)/)).toMatch(
      new RegExp(`^error SR_DATA_DIR_LOCKED .*process ${process.pid}\\b`),
    );
    await store.close();
    const reopened = await openSchemaStore({ dataDir: dir.path });
    expect((await reopened.listVersions("orders")).map((v) => v.fingerprint)).toEqual(["fp-1"]);
    await reopened.close();
  });

  test("takes over the lock of a process killed with SIGKILL", async () => {
    const holder = startFixture("hold-store", [dir.path]);
    const pid = Number((await holder.waitForLine(/^ready \d+$/)).split(" ")[1]);
    await expect(openSchemaStore({ dataDir: dir.path })).rejects.toMatchObject({
      code: "SR_DATA_DIR_LOCKED",
      message: expect.stringContaining(`process ${pid}`),
    });
    holder.process.kill("SIGKILL");
    await holder.exited;
    let store: SchemaStore | undefined;
    try {
      store = await openSchemaStore({ dataDir: dir.path });
      expect((await store.listVersions("orders")).map((v) => v.version)).toEqual([1]);
    } finally {
      await store?.close();
    }
  });
});
