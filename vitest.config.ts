import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // DuckDB is a native addon: separate processes keep one test file's database from another's.
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: { TZ: "UTC", LANG: "C.UTF-8" },
  },
});
