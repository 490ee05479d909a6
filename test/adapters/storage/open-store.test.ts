import * as fs from "node:fs";
import * as path from "node:path";
import { expect, test } from "vitest";
import { LOCK_FILE_NAME } from "../../../src/adapters/storage/data-dir-lock.js";
import { openSchemaStore } from "../../../src/adapters/storage/open-store.js";
import { createTempDir } from "../../helpers/databases.js";

test("refuses to open a store when neither a database URL, a data folder nor memory is given", async () => {
  await expect(openSchemaStore({})).rejects.toMatchObject({ code: "SR_CONFIG_INVALID" });
});

test("creates a missing data folder, migrates it, locks it while open and unlocks it on close", async () => {
  const dir = await createTempDir("structreg-open-");
  const dataDir = path.join(dir.path, "nested", "data");
  try {
    const store = await openSchemaStore({ dataDir });
    expect(fs.existsSync(path.join(dataDir, LOCK_FILE_NAME))).toBe(true);
    await store.ping();
    expect(await store.listSubjects()).toEqual([]);
    await store.close();
    expect(fs.existsSync(path.join(dataDir, LOCK_FILE_NAME))).toBe(false);
  } finally {
    await dir.remove();
  }
});

test("reports a closed store's queries as SR_STORE_ERROR", async () => {
  const store = await openSchemaStore({ memory: true });
  await store.close();
  await expect(store.listSubjects()).rejects.toMatchObject({ code: "SR_STORE_ERROR" });
});
