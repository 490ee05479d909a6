import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { CONFIG_VARIABLES } from "../src/config.js";
import { ERROR_CODES } from "../src/core/errors.js";
import { REPAIR_KINDS } from "../src/core/parse/repairs.js";

const README = readFileSync(join(import.meta.dirname, "../README.md"), "utf8");

describe("README stays true", () => {
  test.each(Object.keys(ERROR_CODES))("documents error code %s in the error-code table", (code) => {
    expect(README).toMatch(new RegExp(`\\|\\s*\`${code}\`\\s*\\|`));
  });

  test.each(CONFIG_VARIABLES.map((v) => v.name))("documents configuration variable %s", (name) => {
    expect(README).toMatch(new RegExp(`\\|\\s*\`${name}\`\\s*\\|`));
  });

  test("the quick start is npm ci, npm start, npm test", () => {
    expect(README).toContain("npm ci");
    expect(README).toContain("npm start");
    expect(README).toContain("npm test");
  });
});

describe("README documents the repair vocabulary", () => {
  test.each(Object.keys(REPAIR_KINDS))("lists repair kind %s", (kind) => {
    expect(README).toMatch(new RegExp(`\\|\\s*\`${kind}\`\\s*\\|`));
  });
});
