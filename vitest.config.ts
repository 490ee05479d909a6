import { defineConfig } from "vitest/config";

/**
 * Fault and soak suites that start several servers, fill disks or restart PostgreSQL: they run after every
 * other file, one at a time, so the bounds they check (a rollout change served within 2 s, a disk filling
 * while a server writes) are judged on a machine that is not also running the rest of the suite.
 */
const SERIAL = [
  "test/e2e/pglite-disk-faults.test.ts",
  "test/e2e/postgres-restart.test.ts",
  "test/e2e/multi-instance.test.ts",
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // PGlite instances are ~300 MiB each and never release memory: keep the worker count low.
    pool: "forks",
    maxWorkers: 2,
    reporters: ["default"],
    projects: [
      {
        extends: true,
        test: { name: "main", include: ["test/**/*.test.ts"], exclude: ["**/node_modules/**", ...SERIAL] },
      },
      {
        extends: true,
        test: { name: "serial", include: SERIAL, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
