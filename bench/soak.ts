/**
 * `npm run soak`: the multi-instance soak (test/e2e/soak-runner.ts) for 60 s or SOAK_SECONDS, against a
 * database it creates through DATABASE_URL's server and drops at the end. Prints requests by kind and
 * status, the rollout propagation lag and each process's memory; exits 1 when a check failed.
 */

import { formatReport, runSoak } from "../test/e2e/soak-runner.js";
import { createTempDatabase, POSTGRES_ADMIN_URL } from "../test/helpers/databases.js";

if (POSTGRES_ADMIN_URL === undefined) {
  process.stderr.write(
    "soak: set DATABASE_URL=postgres://user@host:port/db (a role allowed to create databases)\n",
  );
  process.exit(2);
}
const seconds = Number(process.env.SOAK_SECONDS ?? 60);
if (!Number.isFinite(seconds) || seconds < 3) {
  process.stderr.write(`soak: SOAK_SECONDS must be a number ≥ 3, not ${process.env.SOAK_SECONDS}\n`);
  process.exit(2);
}
const db = await createTempDatabase();
try {
  const report = await runSoak({
    databaseUrl: db.url,
    seconds,
    entry: "dist", // `npm run soak` has just built it
    ...workers("SOAK_REGISTER_WORKERS", "registerWorkers"),
    ...workers("SOAK_VALIDATE_WORKERS", "validateWorkers"),
    log: (line) => process.stderr.write(`soak: ${line}\n`),
  });
  process.stdout.write(`${formatReport(report)}\n`);
  process.exitCode = report.problems.length === 0 ? 0 : 1;
} catch (err) {
  // A server that would not start (bad configuration, stale dist/) ends the soak with its own words.
  process.stderr.write(`soak: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
} finally {
  await db.drop();
}

/** `{[option]: n}` from an environment variable holding a positive integer, else nothing (the default). */
function workers(variable: string, option: "registerWorkers" | "validateWorkers") {
  const n = Number(process.env[variable]);
  return Number.isInteger(n) && n > 0 ? { [option]: n } : {};
}
