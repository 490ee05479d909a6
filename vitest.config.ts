import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // PGlite instances are ~300 MiB each and never release memory: keep the worker count low.
    pool: "forks",
    maxWorkers: 2,
    reporters: ["default"],
  },
});
