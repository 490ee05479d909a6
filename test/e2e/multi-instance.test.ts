import { describe, expect, test } from "vitest";
import { createTempDatabase, postgresAvailable } from "../helpers/databases.js";
import { formatReport, runSoak } from "./soak-runner.js";

/** Short in CI (SOAK_SECONDS overrides); `npm run soak` runs the same soak for 60 s. */
const SECONDS = Number(process.env.SOAK_SECONDS ?? 12);

if (!postgresAvailable()) {
  console.warn(
    "multi-instance soak skipped: set DATABASE_URL=postgres://user@host:port/db (a role allowed to create databases)",
  );
}

describe.skipIf(!postgresAvailable())("three server processes on one PostgreSQL, under load", () => {
  test(
    "versions stay contiguous, acknowledged writes stay, rollout changes reach every instance within 2 s, no 5xx, memory flat",
    async () => {
      const db = await createTempDatabase();
      try {
        const report = await runSoak({
          databaseUrl: db.url,
          seconds: SECONDS,
          log: (line) => console.log(line),
        });
        console.log(formatReport(report));
        expect(report.problems).toEqual([]);
        expect(report.acknowledged).toBeGreaterThan(0);
        expect(report.rollout.changes).toBeGreaterThan(0);
        expect(report.requests.validate?.["200"] ?? 0).toBeGreaterThan(0);
      } finally {
        await db.drop();
      }
    },
    SECONDS * 1000 + 180_000,
  );
});
